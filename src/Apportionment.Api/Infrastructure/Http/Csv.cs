using System.Globalization;
using System.Text;
using Apportionment.Api.Infrastructure.Documents;
using Microsoft.Net.Http.Headers;
using nietras.SeparatedValues;

namespace Apportionment.Api.Infrastructure.Http;

/// <summary>A response that can also be read as a spreadsheet; the CSV form is defined beside the DTO.</summary>
public interface ICsvExport
{
    CsvFile ToCsv();
}

/// <summary>
/// One CSV cell. Text is neutralised against formula injection (OWASP): a cell that begins with = + - @, tab or
/// carriage return is prefixed with ' so Excel shows it rather than running it. Figures are written as numbers, so a
/// negative balance stays -24034.04 and sums in the spreadsheet. The same cell is written to xlsx as what it is: text
/// (as given, not neutralised: an xlsx text cell never runs), money or a figure.
/// </summary>
public readonly record struct CsvCell(string? Value)
{
    public SheetCellKind Kind { get; init; }

    public decimal? Figure { get; init; }

    public string? Plain { get; init; }

    public static implicit operator CsvCell(string? text) => Text(text);

    public static implicit operator CsvCell(decimal? money) => money is { } m ? Money(m) : Empty;

    public static CsvCell Empty => default;

    public static CsvCell Text(string? text) =>
        new(text is [('=' or '+' or '-' or '@' or '\t' or '\r'), ..] ? "'" + text : text) { Plain = text };

    /// <summary>Money with exactly two places.</summary>
    public static CsvCell Money(decimal amount) =>
        new(amount.ToString("0.00", CultureInfo.InvariantCulture)) { Kind = SheetCellKind.Money, Figure = amount };

    /// <summary>A percentage or figure without trailing zeros.</summary>
    public static CsvCell Number(decimal value) =>
        new(value.ToString("0.####", CultureInfo.InvariantCulture)) { Kind = SheetCellKind.Number, Figure = value };

    public SheetCell ToSheetCell() => Kind switch
    {
        SheetCellKind.Money => SheetCell.Money(Figure),
        SheetCellKind.Number => SheetCell.Number(Figure),
        _ => SheetCell.Of(Plain ?? Value),
    };
}

/// <summary>A CSV document: a header row, then rows of cells in the header's order.</summary>
public sealed class CsvFile(string fileName, params string[] header)
{
    private readonly List<CsvCell[]> _rows = [];

    public string FileName { get; } = fileName;

    /// <summary>Adds a row; cells not given at the end are left empty (e.g. a note row).</summary>
    public CsvFile Row(params CsvCell[] cells)
    {
        if (cells.Length > header.Length)
        {
            throw new ArgumentException(
                $"A row of {FileName} has {cells.Length} cells; the header has {header.Length}.",
                nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>RFC 4180 for spreadsheets: UTF-8, CRLF, quoted where needed (written by Sep).</summary>
    public byte[] ToBytes()
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\r\n" };
        using (var writer = Sep.New(',').Writer(o => o with { Escape = true, WriteHeader = true }).To(text))
        {
            writer.Header.Add(header);
            foreach (var cells in _rows)
            {
                using var row = writer.NewRow();
                for (var i = 0; i < header.Length; i++)
                {
                    row[header[i]].Set(i < cells.Length ? cells[i].Value ?? "" : "");
                }
            }

            if (_rows.Count == 0)
            {
                writer.Header.Write();
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public IResult ToResult() => TypedResults.File(ToBytes(), "text/csv; charset=utf-8", FileName);

    /// <summary>The same rows as one xlsx sheet: money and figures as numbers, codes and names as text.</summary>
    public SheetTable ToSheet()
    {
        var sheet = new SheetTable(Path.GetFileNameWithoutExtension(FileName), header);
        foreach (var cells in _rows)
        {
            sheet.Row([.. Enumerable.Range(0, header.Length)
                .Select(i => i < cells.Length ? cells[i].ToSheetCell() : SheetCell.Of(null))]);
        }

        return sheet;
    }

    public IResult ToXlsxResult() => new XlsxResult([ToSheet()], Path.ChangeExtension(FileName, ".xlsx"));

    /// <summary>The CSV or, when asked for, the same rows as xlsx.</summary>
    public IResult ToResult(ReportFormat format) => format == ReportFormat.Xlsx ? ToXlsxResult() : ToResult();
}

/// <summary>The representations a report answers in, chosen by the Accept header.</summary>
public enum ReportFormat
{
    Json,
    Csv,
    Xlsx,
    Pdf,
}

public static class Csv
{
    /// <summary>
    /// True when the Accept header prefers CSV to JSON by its q-values (RFC 9110 §12.5.1): CSV must be acceptable
    /// (q &gt; 0) and rank above JSON; on a tie the one named explicitly wins, and JSON, the default, wins otherwise.
    /// So "text/csv" and "text/csv, */*;q=0.5" give CSV; "text/csv;q=0, application/json" and "*/*" give JSON.
    /// </summary>
    public static bool Wanted(HttpRequest request) => Negotiate(request) == ReportFormat.Csv;

    /// <summary>
    /// JSON, CSV or xlsx by the Accept header's q-values, as <see cref="Wanted"/> describes: the highest acceptable
    /// quality wins; on a tie one named explicitly beats a wildcard, and JSON, the default, wins any remaining tie.
    /// <paramref name="offered"/>: what the endpoint answers besides JSON (CSV and xlsx when none are named).
    /// </summary>
    public static ReportFormat Negotiate(HttpRequest request, params ReportFormat[] offered)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted) || accepted.Count == 0)
        {
            return ReportFormat.Json;
        }

        var best = (Format: ReportFormat.Json, Preference: Preference(accepted, "application", "json"));
        foreach (var (format, type, subType) in Alternatives.Where(
            a => offered.Length == 0 ? a.Format != ReportFormat.Pdf : offered.Contains(a.Format)))
        {
            var p = Preference(accepted, type, subType);
            if (p.Quality > 0 && (p.Quality > best.Preference.Quality
                || (p.Quality == best.Preference.Quality && p.Explicit && !best.Preference.Explicit)))
            {
                best = (format, p);
            }
        }

        return best.Format;
    }

    private static readonly (ReportFormat Format, string Type, string SubType)[] Alternatives =
    [
        (ReportFormat.Csv, "text", "csv"),
        (ReportFormat.Xlsx, "application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (ReportFormat.Pdf, "application", "pdf"),
    ];

    /// <summary>The answer as JSON, or as CSV or xlsx when the Accept header prefers one.</summary>
    public static IResult OkOrCsv<T>(HttpRequest request, T dto) where T : ICsvExport =>
        Negotiate(request) is var format && format == ReportFormat.Json
            ? TypedResults.Ok(dto)
            : dto.ToCsv().ToResult(format);

    /// <summary>
    /// The quality given to a media type by the most specific range that matches it (text/csv over text/* over */*).
    /// </summary>
    private static (double Quality, bool Explicit) Preference(
        IList<MediaTypeHeaderValue> accepted,
        string type,
        string subType)
    {
        MediaTypeHeaderValue? best = null;
        foreach (var range in accepted)
        {
            var matches = range.MatchesAllTypes || (range.Type.Equals(type, StringComparison.OrdinalIgnoreCase)
                && (range.MatchesAllSubTypes || range.SubType.Equals(subType, StringComparison.OrdinalIgnoreCase)));
            if (matches && (best is null || Specificity(range) > Specificity(best)))
            {
                best = range;
            }
        }

        return best is null ? (0, false) : (best.Quality ?? 1, Specificity(best) == 2);
    }

    private static int Specificity(MediaTypeHeaderValue range)
        => range.MatchesAllTypes ? 0 : range.MatchesAllSubTypes ? 1 : 2;
}
