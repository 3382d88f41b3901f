using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Apportionment.Api.Infrastructure.Documents;

/// <summary>
/// A4 portrait pages written top to bottom: headings, wrapped paragraphs and tables that carry on over the page
/// (repeating their header), then a last pass that writes "Page x of y" and a footer on every page.
/// </summary>
public sealed class PdfPages : IDisposable
{
    public const double Margin = 48;
    private const double Bottom = 800;
    // The invariant culture writes English month names and 1,234.50 (the app runs globalization-invariant).
    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    private readonly PdfDocument _document = new();
    private readonly XFont _text;
    private readonly XFont _bold;
    private readonly XFont _small;
    private readonly XFont _smallBold;
    private readonly XFont _heading;
    private XGraphics? _gfx;
    private double _y;

    public PdfPages(string title)
    {
        PdfFonts.EnsureRegistered();
        _document.Info.Title = title;
        _document.Info.Creator = "Apportionment";
        _text = new XFont(PdfFonts.Family, 9.5, XFontStyleEx.Regular);
        _bold = new XFont(PdfFonts.Family, 9.5, XFontStyleEx.Bold);
        _small = new XFont(PdfFonts.Family, 7.5, XFontStyleEx.Regular);
        _smallBold = new XFont(PdfFonts.Family, 7.5, XFontStyleEx.Bold);
        _heading = new XFont(PdfFonts.Family, 14, XFontStyleEx.Bold);
        NewPage();
    }

    /// <summary>The number of the page being written (1-based).</summary>
    public int PageNumber => _document.PageCount;

    public static double Width => 595 - (2 * Margin);

    /// <summary>£1,234.50 (and -£1,234.50), as finance papers print money.</summary>
    public static string Money(decimal? amount) =>
        amount is not { } a ? "–" : (a < 0 ? "-" : "") + "£" + Math.Abs(a).ToString("#,##0.00", English);

    public static string Figure(decimal? value) => value is { } v ? v.ToString("#,##0.####", English) : "–";

    public void NewPage()
    {
        _gfx?.Dispose();
        var page = _document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = PageOrientation.Portrait;
        _gfx = XGraphics.FromPdfPage(page);
        _y = Margin;
    }

    public void Title(string text, string subtitle)
    {
        Line(text, new XFont(PdfFonts.Family, 18, XFontStyleEx.Bold), 26);
        Line(subtitle, _text, 14);
        _y += 8;
    }

    /// <summary>A section heading; it starts a page when less than a few lines would fit below it.</summary>
    public void Heading(string text)
    {
        Room(60);
        _y += 6;
        Line(text, _heading, 20);
    }

    public void Paragraph(string text, bool bold = false)
    {
        var font = bold ? _bold : _text;
        foreach (var line in Wrap(text, font, Width))
        {
            Room(13);
            Line(line, font, 13);
        }

        _y += 3;
    }

    /// <summary>Label and value rows, e.g. governance facts.</summary>
    public void Facts(IEnumerable<(string Label, string Value)> facts)
    {
        foreach (var (label, value) in facts)
        {
            var lines = Wrap(value, _text, Width - 170);
            Room(13 * lines.Count);
            _gfx!.DrawString(label, _bold, XBrushes.Black, new XRect(Margin, _y, 165, 13), XStringFormats.TopLeft);
            foreach (var line in lines)
            {
                _gfx.DrawString(
                    line,
                    _text,
                    XBrushes.Black,
                    new XRect(Margin + 170, _y, Width - 170, 13),
                    XStringFormats.TopLeft);
                _y += 13;
            }
        }

        _y += 4;
    }

    /// <summary>
    /// A table in columns of the given relative widths; numbers (right) are right-aligned. Breaks across pages.
    /// </summary>
    public void Table(
        string[] header,
        IEnumerable<string[]> rows,
        double[] widths,
        bool[] right,
        int boldRowsFromEnd = 0)
    {
        var total = widths.Sum();
        var columns = widths.Select(w => w / total * Width).ToArray();
        var all = rows.ToList();
        Room(30);
        Row(header, columns, right, _smallBold, shade: true);
        for (var i = 0; i < all.Count; i++)
        {
            if (_y + 11 > Bottom)
            {
                NewPage();
                Row(header, columns, right, _smallBold, shade: true);
            }

            Row(all[i], columns, right, i >= all.Count - boldRowsFromEnd ? _smallBold : _small, shade: false);
        }

        _y += 8;
    }

    /// <summary>Writes "Page x of y" and the footer on every page, then the document.</summary>
    public byte[] Finish(string footer)
    {
        _gfx?.Dispose();
        _gfx = null;
        var count = _document.PageCount;
        for (var i = 0; i < count; i++)
        {
            using var gfx = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
            gfx.DrawString(footer, _small, XBrushes.Gray, new XRect(Margin, 812, Width, 12), XStringFormats.TopLeft);
            gfx.DrawString(
                $"Page {i + 1} of {count}",
                _small,
                XBrushes.Gray,
                new XRect(Margin, 812, Width, 12),
                XStringFormats.TopRight);
        }

        using var stream = new MemoryStream();
        _document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    /// <summary>Draws on an earlier page (e.g. the contents, once the sections' pages are known).</summary>
    public void OnPage(int pageNumber, double y, Action<XGraphics, XFont, XFont> draw)
    {
        using var gfx = XGraphics.FromPdfPage(_document.Pages[pageNumber - 1], XGraphicsPdfPageOptions.Append);
        draw(gfx, _text, _bold);
    }

    public double Y => _y;

    public void Skip(double height) => _y += height;

    public void Dispose()
    {
        _gfx?.Dispose();
        _document.Dispose();
    }

    private void Row(string[] cells, double[] columns, bool[] right, XFont font, bool shade)
    {
        var x = Margin;
        if (shade)
        {
            _gfx!.DrawRectangle(XBrushes.LightGray, Margin, _y - 1, Width, 12);
        }

        for (var c = 0; c < columns.Length; c++)
        {
            var text = Fit(c < cells.Length ? cells[c] : "", font, columns[c] - 4);
            var format = right[c] ? XStringFormats.TopRight : XStringFormats.TopLeft;
            _gfx!.DrawString(text, font, XBrushes.Black, new XRect(x + 2, _y, columns[c] - 4, 11), format);
            x += columns[c];
        }

        _y += 11;
    }

    private void Line(string text, XFont font, double height)
    {
        _gfx!.DrawString(text, font, XBrushes.Black, new XRect(Margin, _y, Width, height), XStringFormats.TopLeft);
        _y += height;
    }

    private void Room(double height)
    {
        if (_y + height > Bottom)
        {
            NewPage();
        }
    }

    private string Fit(string text, XFont font, double width)
    {
        if (_gfx!.MeasureString(text, font).Width <= width)
        {
            return text;
        }

        while (text.Length > 1 && _gfx.MeasureString(text + "…", font).Width > width)
        {
            text = text[..^1];
        }

        return text + "…";
    }

    private List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (current.Length > 0 && _gfx!.MeasureString(candidate, font).Width > width)
            {
                lines.Add(current);
                current = word;
            }
            else
            {
                current = candidate;
            }
        }

        lines.Add(current);
        return lines;
    }
}
