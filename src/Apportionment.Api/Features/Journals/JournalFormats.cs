using System.Globalization;
using Apportionment.Domain;
using Apportionment.Domain.Journals;

namespace Apportionment.Api.Features.Journals;

/// <summary>A council's journal with the ERP settings of the codes in force in each of its months.</summary>
public sealed record JournalDocument(Journal Journal, Func<Month, (string? Ledger, string? JournalType)> Settings)
{
    public IEnumerable<(JournalVoucher Voucher, JournalLine Line)> Lines
        => Journal.Vouchers.SelectMany(v => v.Lines.Select(l => (v, l)));
}

/// <summary>One ERP's journal import: its documented column names and how each line fills them.</summary>
public abstract class JournalFormat
{
    public const string Generic = "generic";

    public static readonly IReadOnlyList<JournalFormat> All =
        [new GenericFormat(), new OracleFbdiFormat(), new D365Format(), new SageIntacctFormat(), new SapFormat(),
            new Unit4Format()];

    public static IReadOnlyList<string> Names => All.Select(f => f.Name).ToList();

    public abstract string Name { get; }

    public abstract IReadOnlyList<string> Columns { get; }

    public abstract IEnumerable<string?[]> Rows(JournalDocument document);

    public static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Trims a text to an import's limit (headers of 25 or 30 characters, for example).</summary>
    protected static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>This service's own layout: every field of the journal, debit and credit and the signed amount.</summary>
public sealed class GenericFormat : JournalFormat
{
    public override string Name => Generic;

    public override IReadOnlyList<string> Columns { get; } =
    [
        "batch", "voucher", "voucherNumber", "line", "council", "period", "month", "date", "service", "serviceName",
        "costCentre", "account", "fund", "project",
        "subjective", "debit", "credit", "amount", "description", "provisional",
    ];

    public override IEnumerable<string?[]> Rows(JournalDocument document)
    {
        var j = document.Journal;
        return document.Lines.Select(x => new[]
        {
            j.Reference, x.Voucher.Reference, x.Voucher.Number.ToString(CultureInfo.InvariantCulture), x.Line.LineNumber
                .ToString(CultureInfo.InvariantCulture),
            j.Council, j.Period.ToString(), x.Voucher.Month.ToString(), x.Voucher.Date
                .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            x.Voucher.Service, x.Voucher.ServiceName, x.Line.Account.CostCentre, x.Line.Account.Account, x.Line.Account
                .Fund, x.Line.Account.Project,
            x.Line.Account.Subjective, Amount(x.Line.Debit), Amount(x.Line.Credit), Amount(x.Line.Signed), x.Line
                .Description, j.Provisional ? "true" : "false",
        });
    }
}

/// <summary>
/// Oracle Fusion's Journal Import (FBDI) GL_INTERFACE sheet, its first 52 columns in the template's order (the rest,
/// all optional, are left off): segments 1–5 carry cost centre, account, fund, project and subjective.
/// </summary>
public sealed class OracleFbdiFormat : JournalFormat
{
    public override string Name => "oracle-fbdi";

    public override IReadOnlyList<string> Columns { get; } =
    [
        "STATUS", "LEDGER_ID", "ACCOUNTING_DATE", "USER_JE_SOURCE_NAME", "USER_JE_CATEGORY_NAME", "CURRENCY_CODE",
        "DATE_CREATED", "ACTUAL_FLAG",
        .. Enumerable.Range(1, 30).Select(i => $"SEGMENT{i}"),
        "ENTERED_DR", "ENTERED_CR", "ACCOUNTED_DR", "ACCOUNTED_CR",
        .. Enumerable.Range(1, 10).Select(i => $"REFERENCE{i}"),
    ];

    public override IEnumerable<string?[]> Rows(JournalDocument document)
    {
        var j = document.Journal;
        foreach (var (v, l) in document.Lines)
        {
            var (ledger, category) = document.Settings(v.Month);
            var date = v.Date.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
            var row = new string?[Columns.Count];
            string?[] head = ["NEW", ledger, date, "Apportionment", category ?? "Recharges", "GBP", date, "A"];
            head.CopyTo(row, 0);
            string?[] segments = [l.Account.CostCentre, l.Account.Account, l.Account.Fund, l.Account.Project, l.Account
                .Subjective];
            segments.CopyTo(row, 8);
            string?[] tail =
            [
                l.Debit == 0m ? null : Amount(l.Debit), l.Credit == 0m ? null : Amount(l.Credit), null, null,
                j.Reference, Cut($"{j.Council} recharges {j.Period}", 100), null, v
                    .Reference, Cut(l.Description, 100), v.Reference, "N", null, null, l.Description,
            ];
            tail.CopyTo(row, 38);
            yield return row;
        }
    }
}

/// <summary>
/// Dynamics 365 Finance's General journal entity: ACCOUNTDISPLAYVALUE is account-costcentre-fund-project-subjective.
/// </summary>
public sealed class D365Format : JournalFormat
{
    public override string Name => "d365";

    public override IReadOnlyList<string> Columns { get; } =
    [
        "JOURNALBATCHNUMBER", "LINENUMBER", "VOUCHER", "TRANSDATE", "ACCOUNTTYPE", "ACCOUNTDISPLAYVALUE", "DEBITAMOUNT",
        "CREDITAMOUNT",
        "CURRENCYCODE", "JOURNALNAME", "DESCRIPTION", "TEXT",
    ];

    public override IEnumerable<string?[]> Rows(JournalDocument document)
    {
        var j = document.Journal;
        var number = 0;
        foreach (var (v, l) in document.Lines)
        {
            var a = l.Account;
            yield return
            [
                j.Reference, (++number).ToString(CultureInfo.InvariantCulture), v.Reference, v.Date
                    .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "Ledger",
                string.Join('-', a.Account, a.CostCentre, a.Fund, a.Project, a.Subjective), l.Debit == 0m
                    ? null
                    : Amount(l.Debit),
                l.Credit == 0m ? null : Amount(l.Credit), "GBP", document.Settings(v.Month).JournalType
                    ?? "GenJrn", Cut($"{j.Council} recharges {j.Period}", 60),
                l.Description,
            ];
        }
    }
}

/// <summary>
/// Sage Intacct's journal entry CSV: each voucher is an entry whose LINE_NO starts at 1; DESCRIPTION is at most 30
/// characters.
/// </summary>
public sealed class SageIntacctFormat : JournalFormat
{
    public override string Name => "sage-intacct";

    public override IReadOnlyList<string> Columns { get; } =
        ["JOURNAL", "DATE", "DESCRIPTION", "REFERENCE_NO", "LINE_NO", "ACCT_NO", "DEPT_ID", "PROJECTID", "MEMO",
            "DEBIT", "CREDIT"];

    public override IEnumerable<string?[]> Rows(JournalDocument document) =>
        document.Lines.Select(x => new[]
        {
            document.Settings(x.Voucher.Month).JournalType ?? "GJ", x.Voucher.Date
                .ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
            Cut($"{(document.Journal.Provisional ? "PROVISIONAL " : "")}{x.Voucher.Service} {x.Voucher.Month}", 30), x
                .Voucher
                .Reference,
            x.Line.LineNumber.ToString(CultureInfo.InvariantCulture), x.Line.Account.Account, x.Line.Account
                .CostCentre, x.Line.Account.Project,
            x.Line.Description, x.Line.Debit == 0m ? null : Amount(x.Line.Debit), x.Line.Credit == 0m
                ? null
                : Amount(x.Line.Credit),
        });
}

/// <summary>
/// SAP S/4HANA journal upload (BAPI_ACC_DOCUMENT_POST field names): one signed amount, credit negative; a voucher is a
/// document.
/// </summary>
public sealed class SapFormat : JournalFormat
{
    public override string Name => "sap";

    public override IReadOnlyList<string> Columns { get; } =
        ["BATCH_ID", "BUKRS", "BLART", "BLDAT", "BUDAT", "MONAT", "WAERS", "XBLNR", "BKTXT", "BUZEI", "HKONT", "KOSTL",
            "WRBTR", "SGTXT"];

    public override IEnumerable<string?[]> Rows(JournalDocument document) =>
        document.Lines.Select(x =>
        {
            var (ledger, type) = document.Settings(x.Voucher.Month);
            var date = x.Voucher.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            return new[]
            {
                document.Journal.Reference, ledger, type ?? "SA", date, date, (x.Voucher.Month.FinancialYearPosition
                    + 1).ToString("00", CultureInfo.InvariantCulture),
                "GBP", x.Voucher.Reference, Cut($"{x.Voucher.Service} {x.Voucher.Month}", 25), x.Line.LineNumber
                    .ToString("000", CultureInfo.InvariantCulture),
                x.Line.Account.Account, x.Line.Account.CostCentre, Amount(x.Line.Signed), Cut(x.Line.Description, 50),
            };
        });
}

/// <summary>
/// Unit4 ERP's GL07 batch input (acrbatchinput): a 7-character batch, one signed amount, dim_1 cost centre and dim_2
/// fund (both mandatory), period as the financial year and its month (202501 is April 2025).
/// </summary>
public sealed class Unit4Format : JournalFormat
{
    public override string Name => "unit4";

    public override IReadOnlyList<string> Columns { get; } =
    [
        "batch_id", "interface", "voucher_type", "trans_type", "client", "account", "dim_1", "dim_2", "dim_3", "dim_4",
        "currency", "dc_flag",
        "cur_amount", "amount", "description", "trans_date", "voucher_date", "voucher_no", "period", "sequence_no",
    ];

    public override IEnumerable<string?[]> Rows(JournalDocument document)
    {
        var number = 0;
        foreach (var (v, l) in document.Lines)
        {
            var (ledger, type) = document.Settings(v.Month);
            var date = v.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            var period = string.Create(
                CultureInfo.InvariantCulture,
                $"{v.Month.FinancialYearStart:D4}{v.Month.FinancialYearPosition + 1:D2}");
            yield return
            [
                document.Journal.Reference[..7], "BI", type ?? "GL", "GL", ledger, l.Account.Account, l.Account
                    .CostCentre, l.Account.Fund, l.Account.Project,
                l.Account.Subjective, "GBP", l.Debit == 0m
                    ? "-1"
                    : "1", Amount(l.Signed), Amount(l.Signed), Cut(l.Description, 255), date, date,
                v.Reference, period, (++number).ToString(CultureInfo.InvariantCulture),
            ];
        }
    }
}
