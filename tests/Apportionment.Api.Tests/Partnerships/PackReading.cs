using System.Globalization;
using System.IO.Compression;
using MiniExcelLibs;
using UglyToad.PdfPig;

namespace Apportionment.Api.Tests.Partnerships;

/// <summary>Reads the pack's PDF and xlsx back as a committee clerk's tools would.</summary>
public static class PackReading
{
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Every page's words, page by page.</summary>
    public static List<string[]> PdfWords(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Select(p => p.GetWords().Select(w => w.Text).ToArray()).ToList();
    }

    public static string Money(decimal amount) =>
        (amount < 0 ? "-" : "") + "£" + Math.Abs(amount).ToString("#,##0.00", CultureInfo.InvariantCulture);

    public static IReadOnlyList<string> SheetNames(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        return MiniExcel.GetSheetNames(stream);
    }

    /// <summary>
    /// A sheet's rows, header first, each cell as MiniExcel reads it (double for a number, string for text).
    /// </summary>
    public static List<object?[]> Rows(byte[] xlsx, string sheet)
    {
        using var stream = new MemoryStream(xlsx);
        return MiniExcel.Query(stream, useHeaderRow: false, sheetName: sheet).Cast<IDictionary<string, object?>>()
            .Select(r => r.Values.ToArray()).ToList();
    }

    /// <summary>The rows of a sheet keyed by its header, for the data rows.</summary>
    public static List<Dictionary<string, object?>> Table(byte[] xlsx, string sheet)
    {
        var rows = Rows(xlsx, sheet);
        var header = rows[0].Select(h => h?.ToString() ?? "").ToArray();
        return rows.Skip(1).Select(
            r => header.Select((h, i) => (h, v: i < r.Length ? r[i] : null)).ToDictionary(x => x.h, x => x.v)).ToList();
    }

    public static decimal Number(object? cell)
    {
        Assert.True(
            cell is double or decimal or int or long,
            $"Expected a number cell, got {cell?.GetType().Name ?? "empty"} '{cell}'.");
        return Math.Round(Convert.ToDecimal(cell, CultureInfo.InvariantCulture), 4);
    }

    public static string Text(object? cell)
    {
        Assert.True(cell is string, $"Expected a text cell, got {cell?.GetType().Name ?? "empty"} '{cell}'.");
        return (string)cell!;
    }

    /// <summary>A part of the xlsx package, e.g. xl/styles.xml.</summary>
    public static string Part(byte[] xlsx, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
