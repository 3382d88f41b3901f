using System.Globalization;
using System.Runtime.CompilerServices;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Input;
using nietras.SeparatedValues;

namespace Apportionment.Api.Features.Journals;

/// <summary>One line of a council's general ledger extract, as its finance system writes it.</summary>
public sealed record GlExtractLine(
    int Number,
    string CostCentre,
    string Account,
    string Month,
    decimal? Amount,
    string? Description,
    string? Reference);

/// <summary>
/// A GL extract as received: the body (kept in a file past a small threshold, so a retried transaction can read it
/// again) and the SHA-256 of its bytes, taken as they arrive, for the Idempotency-Key's fingerprint.
/// </summary>
public sealed class GlExtractUpload(Stream body, string sha256)
{
    public string Sha256 { get; } = sha256;

    public GlExtractDto? Posted { get; set; }

    public static async Task<GlExtractUpload> ReceiveAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, sha256) = await HashedBody.ReceiveAsync(request, ct);
        return new GlExtractUpload(body, sha256);
    }

    public IAsyncEnumerable<GlExtractLine> ReadLinesAsync(CancellationToken ct)
    {
        body.Position = 0;
        return GlExtractCsv.ReadAsync(body, ct);
    }
}

/// <summary>
/// Reads an extract as CSV (RFC 4180) with Sep, one row at a time. The header names the columns costCentre, account,
/// month, amount, description, reference (any case, in that order); line numbers count data lines from 1.
/// </summary>
public static class GlExtractCsv
{
    public static readonly string[] Header = ["costCentre", "account", "month", "amount", "description", "reference"];

    public static async IAsyncEnumerable<GlExtractLine> ReadAsync(
        Stream utf8,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var text = new StrictUtf8Reader(utf8);
        using var reader = await Sep.New(',').Reader(
            o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true }).FromAsync(text, ct);
        while (await reader.MoveNextAsync(ct))
        {
            var row = reader.Current;
            if (row.ColCount == 1 && row[0].Span.Length == 0)
            {
                continue;
            }

            if (row.RowIndex == 0)
            {
                if (!IsHeader(row))
                {
                    throw RequestValidationException.For(
                        "header",
                        $"The first line must be: {string.Join(',', Header)}.");
                }

                continue;
            }

            if (row.ColCount != Header.Length)
            {
                throw RequestValidationException.For(
                    $"lines[{row.RowIndex}]",
                    $"Has {row.ColCount} fields; expected {Header.Length}.");
            }

            var amount = row[3].ToString();
            yield return new GlExtractLine(
                row.RowIndex,
                row[0].ToString(),
                row[1].ToString(),
                row[2].ToString(),
                ParseAmount(amount, row.RowIndex),
                NullIfEmpty(row[4].ToString()),
                NullIfEmpty(row[5].ToString()));
        }
    }

    private static bool IsHeader(SepReader.Row row)
    {
        if (row.ColCount != Header.Length)
        {
            return false;
        }

        for (var i = 0; i < Header.Length; i++)
        {
            if (!row[i].Span.Trim().Equals(Header[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static decimal? ParseAmount(string value, int line) =>
        value.Length == 0 ? null
        : ExactNumber.IsExactDecimal(value.AsSpan())
          && decimal.TryParse(
              value,
              NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
              CultureInfo.InvariantCulture,
              out var amount) ? amount
        : throw RequestValidationException.For(
            $"lines[{line}].amount",
            $"'{value}' is not an amount in pounds, e.g. 1250.00.");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
