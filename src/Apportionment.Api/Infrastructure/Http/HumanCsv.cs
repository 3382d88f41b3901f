using System.Globalization;
using System.Text;
using Apportionment.Api.Infrastructure.Documents;
using Apportionment.Api.Infrastructure.Errors;
using nietras.SeparatedValues;

namespace Apportionment.Api.Infrastructure.Http;

/// <summary>What a report's figures cover: a service or a council over a period (a month, quarter or year).</summary>
public sealed record FigureScope(string? Service, string? Council, string? Period)
{
    public static FigureScope OfService(string service, string? period) => new(service, null, period);

    public static FigureScope OfCouncil(string council, string? period) => new(null, council, period);
}

/// <summary>Final when every month the figures cover is closed; otherwise the open months, which may move.</summary>
public sealed record FigureStatus(string? Period, IReadOnlyList<Month> OpenMonths)
{
    public bool Final => OpenMonths.Count == 0;
}

/// <summary>Which months of a scope are closed (answered by the ledger).</summary>
public interface IFigureStatus
{
    Task<FigureStatus> ReadAsync(FigureScope scope, CancellationToken ct);
}

/// <summary>
/// The labels=human option: a CSV for people opening it in Excel rather than for programs. The default CSV (codes
/// as headings, no BOM, months as yyyy-MM) is left exactly as it was for the programs that read it.
/// </summary>
public static class CsvLabels
{
    public const string Human = "human";
    public const string Codes = "codes";

    /// <summary>True for labels=human; 400 naming labels for any value other than human or codes.</summary>
    public static bool WantsHuman(HttpRequest request)
    {
        if (!request.Query.TryGetValue("labels", out var values))
        {
            return false;
        }

        return values is [Human] || (values is [Codes] ? false : throw new RequestValidationException(
            new Dictionary<string, string[]>
            {
                ["labels"] =
                [
                    "labels must be 'human' (headings, months and a BOM for Excel) or 'codes' (the default).",
                ],
            }));
    }

    /// <summary>
    /// A month as "2025-26 P08 (Nov 2025)": Excel turns a cell of "2025-11", "Nov-2025" or "Nov 2025" into a date
    /// (and shows it as 01/11/2025 or Nov-25), so the month leads with the financial year and period number, which no
    /// date pattern matches, and keeps the calendar month in words for the reader.
    /// </summary>
    public static string MonthText(Month month) => string.Create(
        CultureInfo.InvariantCulture,
        $"{FinancialYearText(month.FinancialYearStart)} P{month.FinancialYearPosition + 1:D2} " +
        $"({month.FirstDay.ToString("MMM yyyy", CultureInfo.InvariantCulture)})");

    /// <summary>
    /// A period's text for people: a month as <see cref="MonthText"/>, a quarter as "2025-26 Q3 (Oct–Dec 2025)".
    /// </summary>
    public static string PeriodText(string text)
    {
        if (!Apportionment.Domain.Period.TryParse(text, out var period, out _) || period is null)
        {
            return text;
        }

        var culture = CultureInfo.InvariantCulture;
        return period.Kind switch
        {
            PeriodKind.Month => MonthText(period.First),
            PeriodKind.Quarter =>
                $"{FinancialYearText(period.FinancialYearStart)} Q{(period.First.FinancialYearPosition / 3) + 1} "
                + $"({period.First.FirstDay.ToString("MMM", culture)}–"
                + $"{period.Last.FirstDay.ToString("MMM yyyy", culture)})",
            _ => period.ToString(),
        };
    }

    private static string FinancialYearText(int start) =>
        string.Create(CultureInfo.InvariantCulture, $"{start:D4}-{(start + 1) % 100:D2}");
}

/// <summary>The labels=human CSV, written once the ledger has said which months are closed.</summary>
public sealed class HumanCsvResult(CsvFile csv) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var status = csv.Scope is { } scope
            ? await services.GetRequiredService<IFigureStatus>().ReadAsync(scope, httpContext.RequestAborted)
            : null;
        var now = csv.GeneratedAt ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        var bytes = HumanCsvWriter.Write(csv, status, now);
        await TypedResults.File(bytes, "text/csv; charset=utf-8", csv.FileName).ExecuteAsync(httpContext);
    }
}

/// <summary>
/// Writes the human form: a UTF-8 BOM (so Excel reads £ and accents as UTF-8), "Generated at" and "Figures"
/// (final or provisional) rows, a blank line, then the table with headings in words, months as
/// <see cref="CsvLabels.MonthText"/> and TOTAL written Total.
/// </summary>
public static class HumanCsvWriter
{
    private static readonly HashSet<string> PeriodColumns = ["period", "month", "financialYear", "asOf"];

    public static byte[] Write(CsvFile csv, FigureStatus? status, DateTimeOffset generatedAt)
    {
        var header = csv.Header;
        var stamp = generatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var table = csv.Rows.Select(cells => Enumerable.Range(0, header.Count)
            .Select(i => i < cells.Length ? Cell(header[i], cells[i]) : "")
            .ToArray());
        var text = Rows(2, [["Generated at", stamp], ["Figures", StatusText(status)]])
            + "\r\n"
            + Rows(header.Count, [[.. header.Select(CsvHeadings.Human)], .. table]);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];
    }

    private static string Cell(string column, CsvCell cell)
    {
        if (cell.Kind != SheetCellKind.Text || cell.Value is not { } value)
        {
            return cell.Value ?? "";
        }

        return PeriodColumns.Contains(column) ? CsvLabels.PeriodText(value)
            : column == "status" ? CsvHeadings.Status(value)
            : CsvHeadings.Marker(value);
    }

    private static string StatusText(FigureStatus? status)
    {
        if (status is null)
        {
            return "As issued: each row's status says where it stands";
        }

        var period = CsvLabels.PeriodText(status.Period ?? "");
        var months = Period.TryParse(status.Period, out var p, out _) && p is not null ? p.Months.Count : 0;
        return status.Final ? $"Final: every month of {period} is closed"
            : status.OpenMonths.Count == months
                ? $"Provisional: no month of {period} is closed yet, so every figure may still change"
            : "Provisional: the figures of months not yet closed may still change: "
                + string.Join(", ", status.OpenMonths.Select(CsvLabels.MonthText));
    }

    /// <summary>Rows by position (headings in words may repeat; Sep keys columns by name), RFC 4180 quoting.</summary>
    private static string Rows(int width, IEnumerable<string[]> rows)
    {
        var keys = Enumerable.Range(0, width).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\r\n" };
        using (var writer = Sep.New(',').Writer(o => o with { Escape = true, WriteHeader = false }).To(text))
        {
            writer.Header.Add(keys);
            foreach (var cells in rows)
            {
                using var row = writer.NewRow();
                for (var i = 0; i < width; i++)
                {
                    row[keys[i]].Set(cells[i]);
                }
            }
        }

        return text.ToString();
    }
}
