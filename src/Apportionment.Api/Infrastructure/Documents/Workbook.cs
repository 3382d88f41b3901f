using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Apportionment.Api.Infrastructure.Documents;

/// <summary>
/// How a cell is written: text (codes stay text, never turned into numbers or dates), money or another figure.
/// </summary>
public enum SheetCellKind
{
    Text,
    Money,
    Number,
}

public readonly record struct SheetCell(SheetCellKind Kind, string? Text, decimal? Value)
{
    public static SheetCell Of(string? text) => new(SheetCellKind.Text, text, null);

    public static SheetCell Money(decimal? amount) => new(SheetCellKind.Money, null, amount);

    public static SheetCell Number(decimal? value) => new(SheetCellKind.Number, null, value);
}

/// <summary>One sheet: a header row, then rows of cells in the header's order.</summary>
public sealed class SheetTable(string name, params string[] header)
{
    private readonly List<SheetCell[]> _rows = [];

    /// <summary>Excel allows 31 characters and none of : \ / ? * [ ].</summary>
    public string Name { get; } = new string(name.Where(c => ":\\/?*[]".IndexOf(c) < 0).Take(31).ToArray());

    public IReadOnlyList<string> Header { get; } = header;

    public IReadOnlyList<SheetCell[]> Rows => _rows;

    public SheetTable Row(params SheetCell[] cells)
    {
        _rows.Add(cells);
        return this;
    }
}

/// <summary>
/// xlsx by SpreadCheetah: one worksheet per table, the header bold and frozen, money as numbers formatted £#,##0.00
/// (so a spreadsheet sums them), other figures as plain numbers, and text as text. Text is written as a string cell,
/// never as a formula, so a cell starting with = cannot run.
/// </summary>
public static class Workbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string MoneyFormat = "£#,##0.00";

    public static async Task<byte[]> WriteAsync(IEnumerable<SheetTable> tables, CancellationToken ct = default)
    {
        using var stream = new MemoryStream();
        await using (var spreadsheet = await Spreadsheet.CreateNewAsync(stream, cancellationToken: ct))
        {
            var bold = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
            var money = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(MoneyFormat) });
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var table in tables)
            {
                var name = table.Name.Length == 0 ? "Sheet" : table.Name;
                for (var n = 2; !names.Add(name); n++)
                {
                    name = $"{table.Name[..Math.Min(table.Name.Length, 28)]} {n}";
                }

                await spreadsheet.StartWorksheetAsync(
                    name,
                    new WorksheetOptions { FrozenRows = 1, DefaultColumnWidth = 16 },
                    ct);
                await spreadsheet.AddRowAsync(table.Header.Select(h => new Cell(h, bold)).ToArray(), ct);
                foreach (var row in table.Rows)
                {
                    await spreadsheet.AddRowAsync(row.Select(c => ToCell(c, money)).ToArray(), ct);
                }
            }

            await spreadsheet.FinishAsync(ct);
        }

        return stream.ToArray();
    }

    private static Cell ToCell(SheetCell cell, StyleId money) => cell.Kind switch
    {
        SheetCellKind.Money => cell.Value is { } m ? new Cell(m, money) : new Cell((string?)null),
        SheetCellKind.Number => cell.Value is { } v ? new Cell(v) : new Cell((string?)null),
        _ => new Cell(cell.Text),
    };

    public static IResult ToResult(byte[] bytes, string fileName) => TypedResults.File(bytes, ContentType, fileName);
}

/// <summary>
/// An xlsx answer written when the response is sent (SpreadCheetah writes asynchronously), as a download.
/// </summary>
public sealed class XlsxResult(IReadOnlyList<SheetTable> tables, string fileName) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var bytes = await Workbook.WriteAsync(tables, httpContext.RequestAborted);
        await TypedResults.File(bytes, Workbook.ContentType, fileName).ExecuteAsync(httpContext);
    }
}
