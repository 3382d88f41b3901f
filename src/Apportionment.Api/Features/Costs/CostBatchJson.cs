using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Apportionment.Api.Infrastructure.Input;

namespace Apportionment.Api.Features.Costs;

/// <summary>
/// Reads a ledger extract sent as a JSON array of lines, one line at a time as the bytes are read: only the line being
/// read is held. Lines count from 1 here, not from the buffer the serializer happens to be reading (which is what
/// JsonSerializer.DeserializeAsyncEnumerable's error paths count from), so a refused line is named exactly.
/// </summary>
public sealed class CostBatchJson
{
    /// <summary>
    /// The options for reading one line on its own: one level less deep, as it is no longer inside the array.
    /// </summary>
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

    public static async IAsyncEnumerable<CostBatchLine?> ReadAsync(
        Stream utf8,
        JsonSerializerOptions options,
        [EnumeratorCancellation] CancellationToken ct)
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
                        : _place == Place.AfterNull && _ended
                            ? throw RequestValidationException.For("lines", "Send a JSON array of cost lines.")
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
            JsonSerializer.Deserialize<CostBatchLine?>(
                line,
                OneLevelDown.GetValue(_options, o => new JsonSerializerOptions(o) { MaxDepth = MaxDepth(o) - 1 }));
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
            _buffer.AsSpan(_start, pending).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
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
        new(
            "The batch is not valid JSON.",
            StatusCodes.Status400BadRequest,
            e ?? new JsonException("Not a JSON array.", "$", null, null));

    /// <summary>
    /// The line being read, and the field the serializer reached ($.category is the line's category).
    /// </summary>
    private RequestValidationException Named(JsonException e)
    {
        var field = $"lines[{_lines + 1}]{(e.Path is ['$', .. var rest] ? rest : "")}";
        return e is InvalidInputException input
            ? RequestValidationException.For(input.FieldUnder(field), input.Message)
            : RequestValidationException.For(field, "The value could not be read as JSON of the expected type.");
    }
}
