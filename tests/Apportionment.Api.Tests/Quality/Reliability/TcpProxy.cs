using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Apportionment.Api.Tests.Quality.Reliability;

/// <summary>
/// A TCP forwarder between the app and PostgreSQL that a test can break: <see cref="Cut"/> closes every connection and
/// refuses new ones (the server is down); <see cref="Blackhole"/> keeps connections open but lets nothing through (a
/// network partition); <see cref="Restore"/> forwards again on the same port.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource _cts = new();
    private volatile bool _blackhole;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Start();
    }

    public int Port { get; }

    private void Start()
    {
        _cts = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptLoop(_listener, _cts.Token);
    }

    private async Task AcceptLoop(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception)
            {
                return;
            }

            _ = Serve(client, ct);
        }
    }

    private async Task Serve(TcpClient client, CancellationToken ct)
    {
        _connections[client] = 0;
        var upstream = new TcpClient();
        _connections[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(_targetHost, _targetPort, ct);
            var a = client.GetStream();
            var b = upstream.GetStream();
            await Task.WhenAny(Pump(a, b, ct), Pump(b, a, ct));
        }
        catch (Exception)
        {
            // A cut connection: nothing to do but close both ends.
        }
        finally
        {
            Close(client);
            Close(upstream);
        }
    }

    private async Task Pump(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, ct);
            if (read == 0)
            {
                return;
            }

            if (!_blackhole)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
    }

    private void Close(TcpClient c)
    {
        _connections.TryRemove(c, out _);
        try
        {
            c.Client.LingerState = new LingerOption(true, 0); // RST: the peer sees the connection die at once.
            c.Close();
        }
        catch (Exception)
        {
            // Already closed.
        }
    }

    /// <summary>PostgreSQL is down: every connection is reset and new ones are refused.</summary>
    public void Cut()
    {
        _blackhole = false;
        _cts.Cancel();
        _listener?.Stop();
        _listener = null;
        foreach (var c in _connections.Keys)
        {
            Close(c);
        }
    }

    /// <summary>A partition: connections open and stay open, but no byte gets through either way.</summary>
    public void Blackhole() => _blackhole = true;

    public void Restore()
    {
        _blackhole = false;
        if (_listener is null)
        {
            Start();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        _cts.Dispose();
        return ValueTask.CompletedTask;
    }
}
