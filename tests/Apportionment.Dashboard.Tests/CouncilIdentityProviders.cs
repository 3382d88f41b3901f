using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Apportionment.Dashboard.Tests;

/// <summary>
/// Real OpenID providers on loopback (tools/oidc-provider: panva/oidc-provider with its own login form), one per
/// council issuer: Mid Devon's and Plymouth's. Run as one node process, stopped by closing its stdin.
/// </summary>
public sealed class CouncilIdentityProviders : IAsyncDisposable
{
    public const string Audience = "api://apportionment";
    public const string ClientId = "dashboard";
    public const string ServiceScopes = "statements:read agreements:approve";

    private readonly Process process;

    private CouncilIdentityProviders(Process process, IReadOnlyDictionary<string, string> issuers)
    {
        this.process = process;
        Issuers = issuers;
    }

    /// <summary>Council code to its issuer (http://127.0.0.1:port).</summary>
    public IReadOnlyDictionary<string, string> Issuers { get; }

    /// <summary>
    /// Alice is Mid Devon's finance officer; Priya is Plymouth's. Mallory signs in at Plymouth's provider, which puts
    /// Mid Devon in her council claim: the API must refuse her token rather than show Mid Devon's figures.
    /// </summary>
    public static async Task<CouncilIdentityProviders> StartAsync(Uri redirectUri, int accessTokenSeconds = 600)
    {
        var tool = Path.Combine(RepositoryRoot(), "tools", "oidc-provider");
        if (!File.Exists(Path.Combine(tool, "node_modules", "oidc-provider", "package.json")))
        {
            await RunAsync("npm", "ci --no-audit --no-fund --loglevel=error --prefer-offline", tool);
        }

        var ports = new Dictionary<string, int>(StringComparer.Ordinal) { ["MDDC"] = FreePort(), ["PCC"] = FreePort() };
        var config = new
        {
            redirectUri = redirectUri.ToString(),
            audience = Audience,
            scope = ServiceScopes,
            accessTokenTtl = accessTokenSeconds,
            issuers = new object[]
            {
                new { port = ports["MDDC"], accounts = new { alice = new { name = "Alice Smith", council = "MDDC" } } },
                new
                {
                    port = ports["PCC"],
                    accounts = new { priya = new { name = "Priya Patel", council = "PCC" },
                        mallory = new { name = "Mallory Evans", council = "MDDC" } },
                },
            },
        };
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = tool,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true
        };
        start.ArgumentList.Add("server.mjs");
        start.ArgumentList.Add(JsonSerializer.Serialize(config));
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (var ready = 0; ready < ports.Count;)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException(
                    $"The identity providers stopped before they were ready (exit {process.ExitCode}).");
            ready += line.StartsWith("ready ", StringComparison.Ordinal) ? 1 : 0;
        }

        return new CouncilIdentityProviders(
            process,
            ports.ToDictionary(p => p.Key, p => $"http://127.0.0.1:{p.Value}", StringComparer.Ordinal));
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Apportionment.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Apportionment.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task RunAsync(string file, string arguments, string directory)
    {
        using var run = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = directory })
            ?? throw new InvalidOperationException(file + " did not start");
        await run.WaitForExitAsync();
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed in {directory} ({run.ExitCode})");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }
}
