using System.Globalization;
using System.Text;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Input;

namespace Apportionment.Api.Features.Costs;

/// <summary>One line of a month-end ledger extract.</summary>
public sealed record CostBatchLine(string? Service, string? Month, decimal? Amount, string? Category, string? PaidBy, string? Reference, string? Description);

/// <summary>
/// Reads a ledger extract as CSV (RFC 4180, header service,month,amount,category,paidBy,reference,description).
/// Line numbers in errors count data lines from 1, as in the JSON form; the header is line 0.
/// </summary>
public static class CostBatchCsv
{
    public static readonly string[] Header = ["service", "month", "amount", "category", "paidBy", "reference", "description"];

    public static List<CostBatchLine> Parse(ReadOnlySpan<byte> utf8)
    {
        var text = StrictUtf8.DecodeLines(utf8);
        var lines = new List<CostBatchLine>();
        var fields = new List<string>(8);
        var position = 0;
        var number = -1;
        while (position < text.Length)
        {
            number++;
            position = ReadRecord(text, position, fields, number);
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // blank line, e.g. the trailing newline
            }

            if (number == 0)
            {
                if (!fields.SequenceEqual(Header, StringComparer.OrdinalIgnoreCase))
                {
                    throw RequestValidationException.For("header", $"The first line must be: {string.Join(',', Header)}.");
                }

                continue;
            }

            if (fields.Count != Header.Length)
            {
                throw RequestValidationException.For($"lines[{number}]", $"Has {fields.Count} fields; expected {Header.Length}.");
            }

            lines.Add(new CostBatchLine(fields[0], fields[1], ParseAmount(fields[2], number), fields[3], NullIfEmpty(fields[4]), NullIfEmpty(fields[5]), NullIfEmpty(fields[6])));
        }

        return lines;
    }

    private static decimal? ParseAmount(string value, int line) =>
        value.Length == 0 ? null
        : ExactNumber.IsExactDecimal(value.AsSpan())
          && decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) ? amount
        : throw RequestValidationException.For($"lines[{line}].amount", $"'{value}' is not an amount in pounds, e.g. 1250.00.");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static int ReadRecord(string text, int position, List<string> fields, int line)
    {
        fields.Clear();
        var field = new StringBuilder();
        var quoted = false;
        while (position < text.Length)
        {
            var c = text[position++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (position < text.Length && text[position] == '"')
                    {
                        field.Append('"');
                        position++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && position < text.Length && text[position] == '\n')
                {
                    position++;
                }

                break;
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw RequestValidationException.For($"lines[{line}]", "A quoted field is not closed.");
        }

        fields.Add(field.ToString());
        return position;
    }
}
