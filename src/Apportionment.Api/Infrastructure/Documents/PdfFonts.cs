using System.Reflection;
using PdfSharp.Fonts;

namespace Apportionment.Api.Infrastructure.Documents;

/// <summary>
/// Serves DejaVu Sans (shipped as embedded resources, with its licence beside it) for any family PDFsharp asks for, so
/// documents render the same on every machine, with or without system fonts; bold uses the bold face.
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

    /// <summary>Sets the resolver once, whichever thread gets here first; call before building any document.</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? Bold : Regular);

    public byte[] GetFont(string faceName)
    {
        var name = $"{typeof(PdfFonts).Namespace}.Fonts.{(faceName == Bold ? Bold : Regular)}.ttf";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font resource {name} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
