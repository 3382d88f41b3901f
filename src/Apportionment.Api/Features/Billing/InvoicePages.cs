using System.Globalization;
using Apportionment.Api.Infrastructure.Documents;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Apportionment.Api.Features.Billing;

/// <summary>
/// Writes a simple A4 document top to bottom: headings, lines of text and label/amount rows, starting a new page when
/// one is full, then a last pass writes "Page x of y" at the foot of every page.
/// </summary>
internal sealed class InvoicePages : IDisposable
{
    private const double Margin = 50;
    private const double LineHeight = 15;
    // Invariant culture groups thousands with "," and uses "." for pence, as UK documents do (the service runs
    // invariant).
    private static readonly CultureInfo Uk = CultureInfo.InvariantCulture;

    private readonly PdfDocument _document = new();
    private readonly XFont _text;
    private readonly XFont _bold;
    private readonly XFont _heading;
    private XGraphics? _graphics;
    private PdfPage? _page;
    private double _y;

    public InvoicePages(string title)
    {
        PdfFonts.EnsureRegistered();
        _document.Info.Title = title;
        _text = new XFont(PdfFonts.Family, 10);
        _bold = new XFont(PdfFonts.Family, 10, XFontStyleEx.Bold);
        _heading = new XFont(PdfFonts.Family, 16, XFontStyleEx.Bold);
        NewPage();
    }

    /// <summary>£1,234.50, and -£1,234.50 for a credit.</summary>
    public static string Pounds(decimal amount) => amount.ToString("£#,##0.00;-£#,##0.00", Uk);

    public InvoicePages Heading(string text)
    {
        Room(LineHeight * 2);
        _graphics!.DrawString(text, _heading, XBrushes.Black, new XPoint(Margin, _y + 16));
        _y += LineHeight * 2;
        return this;
    }

    public InvoicePages Line(string text, bool bold = false)
    {
        Room(LineHeight);
        _graphics!.DrawString(text, bold ? _bold : _text, XBrushes.Black, new XPoint(Margin, _y + 10));
        _y += LineHeight;
        return this;
    }

    public InvoicePages Gap()
    {
        _y += LineHeight / 2;
        return this;
    }

    /// <summary>A label on the left and an amount right-aligned at the margin.</summary>
    public InvoicePages Row(string label, decimal amount, bool bold = false) => Row(label, Pounds(amount), bold);

    public InvoicePages Row(string label, string value, bool bold = false)
    {
        Room(LineHeight);
        var font = bold ? _bold : _text;
        _graphics!.DrawString(label, font, XBrushes.Black, new XPoint(Margin, _y + 10));
        var width = _graphics.MeasureString(value, font).Width;
        _graphics.DrawString(value, font, XBrushes.Black, new XPoint(_page!.Width.Point - Margin - width, _y + 10));
        _y += LineHeight;
        return this;
    }

    /// <summary>The finished document, every page numbered "Page x of y".</summary>
    public byte[] ToBytes()
    {
        _graphics?.Dispose();
        _graphics = null;
        var count = _document.PageCount;
        for (var i = 0; i < count; i++)
        {
            var page = _document.Pages[i];
            using var g = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var text = string.Create(CultureInfo.InvariantCulture, $"Page {i + 1} of {count}");
            var width = g.MeasureString(text, _text).Width;
            g.DrawString(
                text,
                _text,
                XBrushes.Black,
                new XPoint(page.Width.Point - Margin - width, page.Height.Point - (Margin / 2)));
        }

        using var stream = new MemoryStream();
        _document.Save(stream, false);
        return stream.ToArray();
    }

    public void Dispose()
    {
        _graphics?.Dispose();
        _document.Dispose();
    }

    private void Room(double height)
    {
        if (_y + height > _page!.Height.Point - (Margin * 1.5))
        {
            NewPage();
        }
    }

    private void NewPage()
    {
        _graphics?.Dispose();
        _page = _document.AddPage();
        _page.Size = PageSize.A4;
        _graphics = XGraphics.FromPdfPage(_page);
        _y = Margin;
    }
}
