using System.Buffers;
using System.Text;
using Apportionment.Api.Infrastructure.Errors;

namespace Apportionment.Api.Infrastructure.Input;

/// <summary>
/// Decodes a line-oriented upload (a CSV ledger extract) and refuses bytes that are not UTF-8, naming the line, rather
/// than storing U+FFFD where the finance system sent something else (often a Windows-1252 £ sign).
/// </summary>
public static class StrictUtf8
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text without a byte order mark. Lines count from 0 (a CSV header), as in the batch's errors.</summary>
    public static string DecodeLines(ReadOnlySpan<byte> utf8)
    {
        var body = utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            // Decoding without replacement stops at the first bad sequence: the lines before it are the line number.
            var scratch = ArrayPool<char>.Shared.Rent(body.Length);
            System.Text.Unicode.Utf8.ToUtf16(body, scratch, out var valid, out _, replaceInvalidSequences: false);
            ArrayPool<char>.Shared.Return(scratch);
            throw RequestValidationException.For($"lines[{body[..valid].Count((byte)'\n')}]",
                "Is not valid UTF-8; save the extract as UTF-8 (for example \"CSV UTF-8\" in Excel).");
        }

        return Strict.GetString(body);
    }
}
