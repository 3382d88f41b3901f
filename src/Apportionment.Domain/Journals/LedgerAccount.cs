namespace Apportionment.Domain.Journals;

/// <summary>
/// A place in a council's own general ledger: cost centre and account, and optional extra dimensions, all text exactly
/// as the council keeps them (leading zeros matter).
/// </summary>
public sealed record LedgerAccount(
    string CostCentre,
    string Account,
    string? Fund = null,
    string? Project = null,
    string? Subjective = null);

/// <summary>
/// One service's month in a council's journal: the council's statement balance for it (share − paid directly; above
/// zero the council owes the host), the account that balance belongs to and the control account it is due to or from.
/// </summary>
public sealed record JournalEntry(
    string Service,
    string ServiceName,
    Month Month,
    decimal Balance,
    LedgerAccount ServiceAccount,
    LedgerAccount ControlAccount);

/// <summary>
/// Which side of a voucher a line is: the service's own account, or the control account for partners.
/// </summary>
public enum JournalLineKind
{
    Service,
    Control,
}

/// <summary>One journal line: exactly one of debit and credit is above zero, both to the penny.</summary>
public sealed record JournalLine(
    int LineNumber,
    JournalLineKind Kind,
    LedgerAccount Account,
    decimal Debit,
    decimal Credit,
    string Description)
{
    /// <summary>Debit positive, credit negative, as a one-amount import (SAP, Unit4) takes it.</summary>
    public decimal Signed => Debit - Credit;
}

/// <summary>A balanced voucher: one service's month, its service line and its control line.</summary>
public sealed record JournalVoucher(
    int Number,
    string Reference,
    string Service,
    string ServiceName,
    Month Month,
    IReadOnlyList<JournalLine> Lines)
{
    /// <summary>The last day of the month, the date the voucher is posted on.</summary>
    public DateOnly Date => Month.FirstDay.AddMonths(1).AddDays(-1);
}

/// <summary>A council's journal for a period; every voucher balances, so the file does.</summary>
public sealed record Journal(
    string Council,
    Period Period,
    bool Provisional,
    string Reference,
    IReadOnlyList<JournalVoucher> Vouchers)
{
    public decimal TotalDebit => Vouchers.SelectMany(v => v.Lines).Sum(l => l.Debit);

    public decimal TotalCredit => Vouchers.SelectMany(v => v.Lines).Sum(l => l.Credit);
}
