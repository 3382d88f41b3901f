using System.Globalization;
using System.Runtime.CompilerServices;
using Apportionment.Api.Infrastructure.Input;
using nietras.SeparatedValues;

namespace Apportionment.Api.Features.Costs;

/// <summary>One line of a month-end ledger extract.</summary>
public sealed record CostBatchLine(
    string? Service,
    string? Month,
    decimal? Amount,
    string? Category,
    string? PaidBy,
    string? Reference,
    string? Description);

/// <summary>
/// Reads a ledger extract as CSV (RFC 4180, header service,month,amount,category,paidBy,reference,description) with
/// Sep. Line numbers in errors count data lines from 1, as in the JSON form; the header is line 0.
/// </summary>
public static class CostBatchCsv
{
    public static readonly string[] Header
        = ["service", "month", "amount", "category", "paidBy", "reference", "description"];

    /// <summary>
    /// The extract's lines in order as they are read, one row of text at a time; the header and blank lines are
    /// skipped.
    /// </summary>
    public static async IAsyncEnumerable<CostBatchLine> ReadAsync(
        Stream utf8,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var text = new StrictUtf8Reader(utf8);
        // The header is checked here, not by Sep, so that a wrong one is named; field counts likewise, per line. Quotes
        // are removed here too: Sep would read an unclosed quote to the end of the file and post it as a description.
        using var reader = await Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true })
            .FromAsync(text, ct);
        while (await reader.MoveNextAsync(ct))
        {
            if (ToLine(reader.Current) is { } line)
            {
                yield return line;
            }
        }
    }

    /// <summary>The row's cost line, or null for the header and a blank line.</summary>
    private static CostBatchLine? ToLine(SepReader.Row row)
    {
        var number = row.RowIndex;
        if (row.ColCount == 1 && row[0].Span.Length == 0)
        {
            return null; // blank line
        }

        if (number == 0)
        {
            return IsHeader(row) ? null : throw RequestValidationException.For(
                "header",
                $"The first line must be: {string.Join(',', Header)}.");
        }

        if (row.ColCount != Header.Length)
        {
            throw RequestValidationException.For(
                $"lines[{number}]",
                $"Has {row.ColCount} fields; expected {Header.Length}.");
        }

        var fields = new string[Header.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = Unquote(row[i].Span, number);
        }

        return new CostBatchLine(
            fields[0],
            fields[1],
            ParseAmount(fields[2], number),
            fields[3],
            NullIfEmpty(fields[4]),
            NullIfEmpty(fields[5]),
            NullIfEmpty(fields[6]));
    }

    private static bool IsHeader(SepReader.Row row)
    {
        if (row.ColCount != Header.Length)
        {
            return false;
        }

        for (var i = 0; i < Header.Length; i++)
        {
            if (!Unquote(row[i].Span, 0).Equals(Header[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 4180: a quoted field starts and ends with a quote, and quotes inside it are doubled.</summary>
    private static string Unquote(ReadOnlySpan<char> field, int line)
    {
        if (field is not ['"', ..])
        {
            return field.ToString();
        }

        if (field.Length < 2 || field[^1] != '"' || field[1..^1].Count('"') % 2 != 0)
        {
            throw RequestValidationException.For($"lines[{line}]", "A quoted field is not closed.");
        }

        return field[1..^1].ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
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
