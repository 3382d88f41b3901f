using System.Globalization;
using System.Text;
using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Http;
using Apportionment.Api.Infrastructure.Validation;
using Apportionment.Domain.Journals;
using nietras.SeparatedValues;

namespace Apportionment.Api.Features.Journals;

public sealed record JournalLineDto(
    int Line, string CostCentre, string Account, string? Fund, string? Project, string? Subjective, decimal Debit,
    decimal Credit, string Description);

public sealed record JournalVoucherDto(
    string Reference,
    int Number,
    string Service,
    string ServiceName,
    string Month,
    DateOnly Date,
    IReadOnlyList<JournalLineDto> Lines);

/// <summary>The generic journal as JSON: every voucher balances, so totalDebit = totalCredit.</summary>
public sealed record JournalDto(
    string Council, string Period, string Reference, bool Provisional, decimal TotalDebit, decimal TotalCredit,
    IReadOnlyList<JournalVoucherDto> Vouchers)
{
    public static JournalDto From(
        Journal j) => new(j.Council, j.Period.ToString(), j.Reference, j.Provisional, j.TotalDebit, j.TotalCredit,
        j.Vouchers.Select(v => new JournalVoucherDto(v.Reference, v.Number, v.Service, v.ServiceName, v.Month
            .ToString(), v.Date,
            v.Lines.Select(l => new JournalLineDto(
                l.LineNumber,
                l.Account.CostCentre,
                l.Account.Account,
                l.Account.Fund,
                l.Account.Project,
                l.Account.Subjective,
                l.Debit,
                l.Credit,
                l.Description)).ToList())).ToList());
}

/// <summary>
/// A journal in one ERP's layout, ready to send: CSV (RFC 4180, CRLF, UTF-8 without BOM), header row optional.
/// </summary>
public sealed record JournalFile(JournalDocument Document, JournalFormat Format, bool Header)
{
    public string FileName => $"journal-{Document.Journal.Council}-{Document.Journal.Period}-{Format.Name}.csv";

    public byte[] ToCsv()
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\r\n" };
        var columns = Format.Columns.ToArray();
        using (var writer = Sep.New(',').Writer(o => o with { Escape = true, WriteHeader = Header }).To(text))
        {
            writer.Header.Add(columns);
            foreach (var cells in Format.Rows(Document))
            {
                using var row = writer.NewRow();
                for (var i = 0; i < columns.Length; i++)
                {
                    // Codes are written exactly as stored (they cannot begin like a formula); other text is
                    // neutralised.
                    row[columns[i]].Set(cells[i] ?? "");
                }
            }

            if (Header && Document.Journal.Vouchers.Count == 0)
            {
                writer.Header.Write();
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public IResult ToResult() => TypedResults.File(ToCsv(), "text/csv; charset=utf-8", FileName);

    /// <summary>A free-text cell (a service's name) made safe for a spreadsheet.</summary>
    public static string? Safe(string? text) => CsvCell.Text(text).Value;
}
