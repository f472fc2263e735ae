import type { CollectionBatch, CollectionFile, Debit, MandateAmendment } from './collection-file.js';
import { controlSums } from './control-sums.js';
import type { Pain008Dialect, XmlTree } from './pain008-dialect.js';

/**
 * The pain.008 message as an element tree (interfaces.md §1.3), from a checked CollectionFile:
 * one `PmtInf` per batch, SEPA Core (`SvcLvl SEPA`, `LclInstrm CORE`, `ChrgBr SLEV`), the
 * creditor identifier per batch, and control sums per group and per batch in decimal.
 */
export function pain008Document(file: CollectionFile, dialect: Pain008Dialect): XmlTree {
  const group = controlSums(file.batches.flatMap((batch) => batch.debits.map((debit) => debit.amount)));
  return {
    Document: {
      '@xmlns': dialect.namespace,
      CstmrDrctDbtInitn: {
        GrpHdr: {
          MsgId: file.messageId,
          CreDtTm: file.createdAt,
          NbOfTxs: group.count,
          CtrlSum: group.sum,
          InitgPty: { Nm: file.initiatingPartyName },
        },
        PmtInf: file.batches.map((batch) => paymentInformation(file, batch, dialect)),
      },
    },
  };
}

function paymentInformation(file: CollectionFile, batch: CollectionBatch, dialect: Pain008Dialect): XmlTree {
  const sums = controlSums(batch.debits.map((debit) => debit.amount));
  const { creditor } = file;
  return {
    PmtInfId: batch.paymentInfoId,
    PmtMtd: 'DD',
    BtchBookg: String(batch.batchBooking),
    NbOfTxs: sums.count,
    CtrlSum: sums.sum,
    PmtTpInf: { SvcLvl: { Cd: 'SEPA' }, LclInstrm: { Cd: 'CORE' }, SeqTp: batch.sequenceType },
    ReqdColltnDt: batch.collectionDate,
    Cdtr: { Nm: creditor.name, PstlAdr: creditor.address && dialect.postalAddress(creditor.address) },
    CdtrAcct: { Id: { IBAN: creditor.iban } },
    CdtrAgt: agent(creditor.bic, dialect),
    ChrgBr: 'SLEV',
    CdtrSchmeId: { Id: { PrvtId: { Othr: { Id: creditor.creditorIdentifier, SchmeNm: { Prtry: 'SEPA' } } } } },
    DrctDbtTxInf: batch.debits.map((debit) => transaction(debit, dialect)),
  };
}

function transaction(debit: Debit, dialect: Pain008Dialect): XmlTree {
  const { mandate, debtor } = debit;
  return {
    PmtId: { EndToEndId: debit.endToEndId },
    InstdAmt: { '@Ccy': 'EUR', '#': debit.amount },
    DrctDbtTx: {
      MndtRltdInf: {
        MndtId: mandate.mandateId,
        DtOfSgntr: mandate.signedOn,
        AmdmntInd: String(mandate.amendment !== undefined),
        AmdmntInfDtls: mandate.amendment && amendmentDetails(mandate.amendment),
      },
    },
    DbtrAgt: agent(debtor.bic, dialect),
    Dbtr: { Nm: debtor.name, PstlAdr: debtor.address && dialect.postalAddress(debtor.address) },
    DbtrAcct: { Id: { IBAN: debtor.iban } },
    RmtInf: debit.remittance ? { Ustrd: debit.remittance } : undefined,
  };
}

/**
 * EPC: the original debtor account only for a new account at the same bank; a new bank is
 * `SMNDA` ("same mandate, new debtor agent") in the original debtor agent, without the old IBAN.
 * A new creditor identifier: the old one in `OrgnlCdtrSchmeId`, written as the batch's own
 * (`PrvtId/Othr` with scheme `SEPA`), in the schema's order (after `OrgnlMndtId`) in both versions.
 */
function amendmentDetails(amendment: MandateAmendment): XmlTree {
  return {
    OrgnlMndtId: amendment.originalMandateId,
    OrgnlCdtrSchmeId: amendment.originalCreditorIdentifier ? { Id: { PrvtId: { Othr: { Id: amendment.originalCreditorIdentifier, SchmeNm: { Prtry: 'SEPA' } } } } } : undefined,
    OrgnlDbtrAcct: amendment.originalDebtorIban && !amendment.changedBank ? { Id: { IBAN: amendment.originalDebtorIban } } : undefined,
    OrgnlDbtrAgt: amendment.changedBank ? { FinInstnId: { Othr: { Id: 'SMNDA' } } } : undefined,
  };
}

/** A bank by its BIC, or `Othr/Id NOTPROVIDED` (IBAN-only, allowed for SEPA since 2016). */
function agent(bic: string | undefined, dialect: Pain008Dialect): XmlTree {
  return { FinInstnId: bic ? { [dialect.bicElement]: bic } : { Othr: { Id: 'NOTPROVIDED' } } };
}
