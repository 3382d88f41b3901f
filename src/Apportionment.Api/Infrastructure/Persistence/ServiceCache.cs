using System.Collections.Concurrent;

namespace Apportionment.Api.Infrastructure.Persistence;

/// <summary>
/// This replica's copy of the services and their members, read by every posting. It serves only while
/// <see cref="ServiceChangeListener"/> is listening for the database's change notifications; without them it reads
/// the database every time rather than risk answering from a copy nobody keeps current. Closed months are never
/// cached: the database's trigger refuses those. A posting made from the cache re-checks what it relied on in its own
/// write batch, so a notification still on its way costs a second read, never a wrong posting.
/// </summary>
public sealed class ServiceCache
{
    private readonly ConcurrentDictionary<string, SharedService> _services = new(StringComparer.Ordinal);
    private readonly Lock _changes = new();
    private long _generation;
    private volatile bool _serving;

    public bool Serving => _serving;

    /// <summary>The service (with its members), from memory when held, else read by <paramref name="read"/>.</summary>
    public async Task<SharedService?> GetAsync(
        string code,
        Func<string, CancellationToken, Task<SharedService?>> read,
        CancellationToken ct)
    {
        if (_serving && _services.TryGetValue(code, out var held))
        {
            return held;
        }

        var generation = Interlocked.Read(ref _generation);
        var service = await read(code, ct);
        if (service is not null && _serving)
        {
            lock (_changes)
            {
                // A change heard while reading may be newer than what was read: keep nothing then.
                if (_serving && _generation == generation)
                {
                    _services[code] = service;
                }
            }
        }

        return service;
    }

    /// <summary>A service changed (or, with an empty code, any may have): forget it.</summary>
    public void Forget(string code)
    {
        lock (_changes)
        {
            _generation++;
            if (code.Length == 0)
            {
                _services.Clear();
            }
            else
            {
                _services.TryRemove(code, out _);
            }
        }
    }

    /// <summary>Listening from now on: changes committed from here are heard, so reads from now may be kept.</summary>
    public void StartServing()
    {
        lock (_changes)
        {
            _generation++;
            _services.Clear();
            _serving = true;
        }
    }

    /// <summary>No longer listening: forget everything and read the database until listening again.</summary>
    public void StopServing()
    {
        lock (_changes)
        {
            _serving = false;
            _generation++;
            _services.Clear();
        }
    }
}
