using System.Buffers;
using System.Text.Unicode;

namespace Apportionment.Api.Infrastructure.Input;

/// <summary>
/// Decodes a line-oriented upload (a CSV ledger extract) as it is read, and refuses bytes that are not UTF-8, naming
/// the line, rather than storing U+FFFD where the finance system sent something else (often a Windows-1252 £ sign).
/// Lines count from 0 (a CSV header), as in the batch's errors; a byte order mark is skipped. Only a chunk of the
/// upload is held at a time, so a 100,000-line extract never becomes one string.
/// </summary>
public sealed class StrictUtf8Reader(Stream utf8) : TextReader
{
    private const string NotUtf8
        = "Is not valid UTF-8; save the extract as UTF-8 (for example \"CSV UTF-8\" in Excel).";

    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _start;
    private int _end;
    private bool _ended;
    private bool _begun;
    private int _newlines;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        int written;
        while (!TryDecode(buffer, out written))
        {
            Filled(utf8.Read(Free()));
        }

        return written;
    }

    public override Task<int> ReadAsync(char[] buffer, int index, int count)
        => ReadAsync(buffer.AsMemory(index, count)).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        int written;
        while (!TryDecode(buffer.Span, out written))
        {
            Filled(await utf8.ReadAsync(FreeMemory(), cancellationToken));
        }

        return written;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = [];
        }

        base.Dispose(disposing);
    }

    /// <summary>False when more bytes are needed before anything (or the end) can be returned.</summary>
    private bool TryDecode(Span<char> destination, out int written)
    {
        written = 0;
        if (!_begun)
        {
            if (_end - _start < 3 && !_ended)
            {
                return false;
            }

            _start += _bytes.AsSpan(_start, _end - _start).StartsWith("\uFEFF"u8) ? 3 : 0;
            _begun = true;
        }

        var pending = _bytes.AsSpan(_start, _end - _start);
        var status = Utf8.ToUtf16(
            pending,
            destination,
            out var read,
            out written,
            replaceInvalidSequences: false,
            isFinalBlock: _ended);
        // Decoding without replacement stops at the first bad sequence: the lines before it are the line number.
        _newlines += pending[..read].Count((byte)'\n');
        _start += read;
        if (status == System.Buffers.OperationStatus.InvalidData)
        {
            throw RequestValidationException.For($"lines[{_newlines}]", NotUtf8);
        }

        return written > 0 || _ended || destination.IsEmpty;
    }

    /// <summary>
    /// Room for the next read, after the bytes not yet decoded (at most a split character) are moved to the front.
    /// </summary>
    private Span<byte> Free() => FreeMemory().Span;

    private Memory<byte> FreeMemory()
    {
        _bytes.AsSpan(_start, _end - _start).CopyTo(_bytes);
        _end -= _start;
        _start = 0;
        return _bytes.AsMemory(_end);
    }

    private void Filled(int read)
    {
        _ended = read == 0;
        _end += read;
    }
}
