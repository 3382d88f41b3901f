using System.Net;
using System.Net.Sockets;

namespace Apportionment.Api.Infrastructure.Webhooks;

/// <summary>
/// Keeps webhooks from being aimed at the service's own network (SSRF): only https, and never an address that is
/// loopback, link-local, private, shared (CGNAT), multicast or unspecified — unless the host is allow-listed. Checked
/// when a subscription is made and again on every connection, so a name re-pointed later at an internal address
/// (DNS rebinding) still cannot be reached.
/// </summary>
public static class EndpointSafety
{
    /// <summary>What is wrong with the URL's shape, or null.</summary>
    public static string? ShapeProblem(string? url, WebhookOptions options)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "Is required: the https URL that receives the events.";
        }

        if (url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "Must be an absolute https URL of at most 2000 characters.";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !options.IsAllowListed(uri.IdnHost))
        {
            return "Must use https (plain http only for hosts in Webhooks:AllowedHosts).";
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "Must not carry credentials or a fragment.";
        }

        return null;
    }

    /// <summary>
    /// Whether the host resolves only to public addresses (or is allow-listed); the problem otherwise.
    /// </summary>
    public static async Task<string?> AddressProblemAsync(Uri uri, WebhookOptions options, CancellationToken ct)
    {
        if (options.IsAllowListed(uri.IdnHost))
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return $"The host '{uri.IdnHost}' could not be resolved.";
        }

        var refused = addresses.FirstOrDefault(IsInternal);
        return refused is null ? null : $"The host '{uri.IdnHost}' resolves to {refused}, a loopback, link-local or "
            + "private address; webhooks are sent only to public addresses.";
    }

    /// <summary>Opens the connection for the webhook HttpClient, to a checked address only.</summary>
    public static async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context,
        WebhookOptions options,
        CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await ResolveAsync(host, ct);
        var permitted = options.IsAllowListed(host) ? addresses : addresses.Where(a => !IsInternal(a)).ToArray();
        if (permitted.Length == 0)
        {
            throw new HttpRequestException(
                $"Refused to connect to '{host}': it resolves only to loopback, link-local or private addresses.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct);

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            if (EmbeddedIPv4(b) is { } embedded)
            {
                return IsInternal(embedded);
            }

            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC;
        }

        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => true,
            100 => v4[1] is >= 64 and <= 127,
            169 => v4[1] == 254,
            172 => v4[1] is >= 16 and <= 31,
            192 => v4[1] == 168 || (v4[1] == 0 && v4[2] is 0 or 2),
            198 => v4[1] is 18 or 19,
            >= 224 => true,
            _ => false,
        };
    }

    /// <summary>
    /// The IPv4 address an IPv6 form carries, judged as that IPv4 address: IPv4-compatible (::a.b.c.d), NAT64
    /// (64:ff9b::/96 and the local-use 64:ff9b:1::/48), 6to4 (2002::/16) and Teredo (2001::/32, whose client address is
    /// stored inverted).
    /// </summary>
    private static IPAddress? EmbeddedIPv4(byte[] b)
    {
        if (b.Take(12).All(x => x == 0))
        {
            return new IPAddress(b[12..16]);
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            var wellKnown = b[4..12].All(x => x == 0);
            var localUse = b[4] == 0x00 && b[5] == 0x01;
            return wellKnown || localUse ? new IPAddress(b[12..16]) : null;
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return new IPAddress(b[2..6]);
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            return new IPAddress(b[12..16].Select(x => (byte)~x).ToArray());
        }

        return null;
    }
}
