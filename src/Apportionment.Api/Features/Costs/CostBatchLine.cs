using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Input;
using nietras.SeparatedValues;

namespace Apportionment.Api.Features.Costs;

/// <summary>One line of a month-end ledger extract.</summary>
public sealed record CostBatchLine(string? Service, string? Month, decimal? Amount, string? Category, string? PaidBy, string? Reference, string? Description);

/// <summary>
/// Reads a ledger extract as CSV (RFC 4180, header service,month,amount,category,paidBy,reference,description) with
/// Sep. Line numbers in errors count data lines from 1, as in the JSON form; the header is line 0.
/// </summary>
public static class CostBatchCsv
{
    public static readonly string[] Header = ["service", "month", "amount", "category", "paidBy", "reference", "description"];

    /// <summary>The extract's lines in order as they are read, one row of text at a time (null for the header and blank lines).</summary>
    public static async IAsyncEnumerable<CostBatchLine> ReadAsync(Stream utf8, [EnumeratorCancellation] CancellationToken ct)
    {
        using var text = new StrictUtf8Reader(utf8);
        // The header is checked here, not by Sep, so that a wrong one is named; field counts likewise, per line. Quotes
        // are removed here too: Sep would read an unclosed quote to the end of the file and post it as a description.
        using var reader = await Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true }).FromAsync(text, ct);
        while (await reader.MoveNextAsync(ct))
        {
            if (ToLine(reader.Current) is { } line)
            {
                yield return line;
            }
        }
    }

    private static CostBatchLine? ToLine(SepReader.Row row)
    {
        var number = row.RowIndex;
        if (row.ColCount == 1 && row[0].Span.Length == 0)
        {
            return null; // blank line
        }

        if (number == 0)
        {
            return IsHeader(row) ? null : throw RequestValidationException.For("header", $"The first line must be: {string.Join(',', Header)}.");
        }

        if (row.ColCount != Header.Length)
        {
            throw RequestValidationException.For($"lines[{number}]", $"Has {row.ColCount} fields; expected {Header.Length}.");
        }

        var fields = new string[Header.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = Unquote(row[i].Span, number);
        }

        return new CostBatchLine(fields[0], fields[1], ParseAmount(fields[2], number), fields[3], NullIfEmpty(fields[4]), NullIfEmpty(fields[5]), NullIfEmpty(fields[6]));
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
          && decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) ? amount
        : throw RequestValidationException.For($"lines[{line}].amount", $"'{value}' is not an amount in pounds, e.g. 1250.00.");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

/// <summary>
/// Reads a ledger extract sent as a JSON array of lines, one line at a time as the bytes are read: only the line being
/// read is held. Lines count from 1 here, not from the buffer the serializer happens to be reading (which is what
/// JsonSerializer.DeserializeAsyncEnumerable's error paths count from), so a refused line is named exactly.
/// </summary>
public sealed class CostBatchJson
{
    /// <summary>The options for reading one line on its own: one level less deep, as it is no longer inside the array.</summary>
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> OneLevelDown = new();

    private readonly Stream _utf8;
    private readonly JsonSerializerOptions _options;
    private readonly JsonTypeInfo<CostBatchLine?> _line;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _start;
    private int _end;
    private bool _ended;
    private JsonReaderState _state;
    private Place _place;
    private int _lines;

    private CostBatchJson(Stream utf8, JsonSerializerOptions options)
    {
        (_utf8, _options) = (utf8, options);
        // Resolved once, not for each of 100,000 lines.
        _line = (JsonTypeInfo<CostBatchLine?>)options.GetTypeInfo(typeof(CostBatchLine));
        _state = new JsonReaderState(new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.ReadCommentHandling,
            MaxDepth = MaxDepth(options),
        });
    }

    private enum Place
    {
        Start,
        AfterNull,
        InArray,
        AfterArray,
    }

    public static async IAsyncEnumerable<CostBatchLine?> ReadAsync(Stream utf8, JsonSerializerOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var json = new CostBatchJson(utf8, options);
        try
        {
            while (true)
            {
                switch (json.Next(out var line))
                {
                    case Step.Line:
                        yield return line;
                        break;
                    case Step.NeedMore:
                        await json.FillAsync(ct);
                        break;
                    default:
                        yield break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(json._buffer);
        }
    }

    private enum Step
    {
        Line,
        NeedMore,
        End,
    }

    /// <summary>The next line, if the bytes read so far hold all of it.</summary>
    private Step Next(out CostBatchLine? line)
    {
        line = null;
        var origin = _start;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _ended, _state);
        try
        {
            while (true)
            {
                var before = reader;
                if (!reader.Read())
                {
                    return _place == Place.AfterArray && _ended ? Step.End
                        : _place == Place.AfterNull && _ended ? throw RequestValidationException.For("lines", "Send a JSON array of cost lines.")
                        : Step.NeedMore;
                }

                switch (_place)
                {
                    case Place.Start when reader.TokenType is JsonTokenType.Null or JsonTokenType.StartArray:
                        _place = reader.TokenType == JsonTokenType.Null ? Place.AfterNull : Place.InArray;
                        break;
                    case Place.Start:
                        throw NotAnArray(null);
                    case Place.InArray when reader.TokenType == JsonTokenType.EndArray:
                        _place = Place.AfterArray;
                        break;
                    case Place.InArray:
                        if (!Skipped(ref reader, origin))
                        {
                            return Step.NeedMore; // read this line again once more of it has arrived
                        }

                        reader = before;
                        reader.Read();
                        line = JsonSerializer.Deserialize(ref reader, _line);
                        _lines++;
                        (_start, _state) = (origin + (int)reader.BytesConsumed, reader.CurrentState);
                        return Step.Line;
                }

                (_start, _state) = (origin + (int)reader.BytesConsumed, reader.CurrentState);
            }
        }
        catch (JsonException e)
        {
            throw _place is Place.InArray or Place.AfterArray ? Named(e) : NotAnArray(e);
        }
    }

    /// <summary>
    /// Whether the whole line has arrived. A line that breaks the JSON grammar is read again by the serializer on its
    /// own, field by field, so the error names the field it reached, as it does for any other line.
    /// </summary>
    private bool Skipped(ref Utf8JsonReader reader, int origin)
    {
        var start = reader;
        try
        {
            return reader.TrySkip();
        }
        catch (JsonException)
        {
            var line = _buffer.AsSpan(origin + (int)start.TokenStartIndex, _end - origin - (int)start.TokenStartIndex);
            JsonSerializer.Deserialize<CostBatchLine?>(line, OneLevelDown.GetValue(_options, o => new JsonSerializerOptions(o) { MaxDepth = MaxDepth(o) - 1 }));
            throw;
        }
    }

    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (_ended)
        {
            // The reader asked for more than the body holds; it says so itself on the final block, so this is a guard.
            throw NotAnArray(null);
        }

        var pending = _end - _start;
        if (pending == _buffer.Length)
        {
            // One line longer than the buffer (a long description): the buffer grows to hold it.
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            ArrayPool<byte>.Shared.Return(_buffer);
            (_buffer, larger) = (larger, _buffer);
            larger.AsSpan(_start, pending).CopyTo(_buffer);
        }
        else
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }

        (_start, _end) = (0, pending);
        var read = await _utf8.ReadAsync(_buffer.AsMemory(_end), ct);
        _ended = read == 0;
        _end += read;
    }

    private static int MaxDepth(JsonSerializerOptions options) => options.MaxDepth == 0 ? 64 : options.MaxDepth;

    private static BadHttpRequestException NotAnArray(JsonException? e) =>
        new("The batch is not valid JSON.", StatusCodes.Status400BadRequest, e ?? new JsonException("Not a JSON array.", "$", null, null));

    /// <summary>The line being read, and the field the serializer reached ($.category is the line's category).</summary>
    private RequestValidationException Named(JsonException e)
    {
        var field = $"lines[{_lines + 1}]{(e.Path is ['$', .. var rest] ? rest : "")}";
        return e is InvalidInputException input
            ? RequestValidationException.For(input.FieldUnder(field), input.Message)
            : RequestValidationException.For(field, "The value could not be read as JSON of the expected type.");
    }
}
