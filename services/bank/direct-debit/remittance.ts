import { toSepaText } from '../../../shared/sepa/sepa-characters.js';

const monthNames = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** `RmtInf/Ustrd`, what the occupant reads on the statement: "Voorschot servicekosten maart 2027 <unit>". */
export function remittanceText(month: string, unitRef: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return toSepaText(`Voorschot servicekosten ${monthNames[monthNumber - 1]} ${year} ${unitRef}`, 140);
}
