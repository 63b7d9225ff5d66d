using ProductHub.Tests.Support;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using ProductHub.Hub;

namespace ProductHub.Tests.Faults;

/// <summary>
/// The hub as a real process (the built <c>ProductHub.Hub.dll</c>, which the test project's reference to Hub
/// builds in the same configuration), on a database of the caller's choosing, so a test can SIGKILL it.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private HubProcess(Process process, string url)
    {
        _process = process;
        Url = url;
        Client = CreateClient(url);
    }

    public string Url { get; }

    public HttpClient Client { get; }

    /// <summary>The one place a real HTTP client to a hub is made (authentication headers go here).</summary>
    public static HttpClient CreateClient(string url) => new()
    {
        BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new("Bearer", TestTokens.Default) },
    };

    /// <summary>The last lines the hub wrote, for a failure message.</summary>
    public string LogTail => string.Join('\n', _log.TakeLast(40));

    /// <param name="environment">More environment variables for the hub's process (settings, or what an operator's shell has).</param>
    public static async Task<HubProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? environment = null)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(HubDll)!,
        };
        start.ArgumentList.Add(HubDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        // The test run's own settings (the shared hub's drop folders and database) must not leak into this hub.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ProductHub__") || k.StartsWith("ConnectionStrings__")).ToList())
            start.Environment.Remove(name);
        start.Environment[$"ConnectionStrings__{HubHost.ConnectionStringName}"] = connectionString;
        TestTokens.Install(start.Environment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {HubDll}");
        var hub = new HubProcess(process, url);
        process.OutputDataReceived += (_, e) => hub.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => hub.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await hub.Client.GetAsync("/health/ready")).IsSuccessStatusCode) return hub;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(200);
        }
        var tail = hub.LogTail;
        await hub.DisposeAsync();
        throw new TimeoutException($"The hub at {url} did not become ready:\n{tail}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, whatever was in flight stays where it was.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        Client.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        while (_log.Count > 200) _log.TryDequeue(out _);
    }

    private static string HubDll
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "ProductHub.sln"))) root = root.Parent;
            var configuration = typeof(HubHost).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            var dll = Path.Combine(root?.FullName ?? ".", "src", "Hub", "bin", configuration, "net10.0", "ProductHub.Hub.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"The hub is not built at {dll}; build the solution first.");
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
