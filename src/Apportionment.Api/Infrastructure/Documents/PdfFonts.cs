using PdfSharp.Fonts;

namespace Apportionment.Api.Infrastructure.Documents;

/// <summary>
/// PDFsharp on Linux finds no system fonts, so the service ships DejaVu Sans (an open licence, see
/// Fonts/LICENSE-DejaVu.txt) and serves it for any family a document asks for; bold comes from the bold face.
/// </summary>
internal sealed class PdfFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly Lazy<bool> Registered = new(() =>
    {
        GlobalFontSettings.FontResolver = new PdfFonts();
        return true;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Sets the resolver once, whichever thread builds the first document.</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? Bold : Regular);

    public byte[] GetFont(string faceName)
    {
        using var stream = typeof(PdfFonts).Assembly.GetManifestResourceStream($"Fonts.{faceName}.ttf")
            ?? throw new InvalidOperationException($"The embedded font {faceName} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
