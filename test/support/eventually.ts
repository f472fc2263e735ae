/** Reads until `done` holds or the time is up, and answers the last value read (the test asserts on it). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    // Short: what is awaited usually lands within a few tenths of a second, and each look is cheap.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
