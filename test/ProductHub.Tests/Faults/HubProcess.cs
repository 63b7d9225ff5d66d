using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using ProductHub.Hub;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Faults;

/// <summary>
/// The hub as a real process (the built <c>ProductHub.Hub.dll</c>, which the test project's reference to Hub
/// builds in the same configuration, or a script that starts it), on a database of the caller's choosing or its
/// own, so a test can SIGKILL it.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly ConcurrentQueue<string> _start = new();

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

    /// <summary>Whether the hub wrote a line containing <paramref name="text"/> as it started, or lately.</summary>
    public bool Logged(string text) => _start.Concat(_log).Any(line => line.Contains(text, StringComparison.Ordinal));

    /// <param name="environment">More environment variables for the hub's process (settings, or what an operator's shell has).</param>
    /// <param name="readySeconds">How long it may take to become ready (see <see cref="ReadyAsync"/>).</param>
    public static Task<HubProcess> StartAsync(
        string connectionString, IReadOnlyDictionary<string, string>? environment = null, int readySeconds = 90)
    {
        var settings = new Dictionary<string, string?> { [$"ConnectionStrings__{HubHost.ConnectionStringName}"] = connectionString };
        TestTokens.Install(settings);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) settings[name] = value;
        return Launch(settings, Path.GetDirectoryName(HubDll)!).ReadyAsync(readySeconds);
    }

    /// <summary>
    /// Runs <paramref name="command"/> (by default <c>dotnet</c> on the built hub) from <paramref name="workingDirectory"/>
    /// with <c>--urls</c> and these settings only, as its environment; it does not wait for the hub to be ready.
    /// </summary>
    public static HubProcess Launch(IReadOnlyDictionary<string, string?> settings, string workingDirectory, params string[] command)
    {
        if (command.Length == 0) command = ["dotnet", HubDll];
        var url = $"http://127.0.0.1:{FreePort()}";
        // A session of its own, so that StopAsync can press Ctrl-C for its whole process group and nothing else.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        foreach (var argument in command) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        // The test run's own settings (the shared hub's drop folders and database, a test host's environment name)
        // must not leak into this hub.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ProductHub__") || k.StartsWith("ConnectionStrings__") ||
                     k.StartsWith("ASPNETCORE_") || k == "DOTNET_ENVIRONMENT").ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in settings) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {string.Join(' ', command)}");
        var hub = new HubProcess(process, url);
        process.OutputDataReceived += (_, e) => hub.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => hub.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return hub;
    }

    /// <summary>Waits until the hub answers ready; disposes of it and throws with its last lines if it never does.</summary>
    public async Task<HubProcess> ReadyAsync(int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await Client.GetAsync("/health/ready")).IsSuccessStatusCode) return this;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(200);
        }
        var tail = LogTail;
        await DisposeAsync();
        throw new TimeoutException($"The hub at {Url} did not become ready:\n{tail}");
    }

    /// <summary>The exit code of a hub that is expected to stop by itself (one that refuses to start).</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    /// <summary>
    /// SIGKILL: no shutdown hooks, no flushing, whatever was in flight stays where it was. The whole tree, for a hub
    /// started through a script; a PostgreSQL it started has left the tree (pg_ctl daemonises it) and is left running.
    /// </summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>
    /// Ctrl-C, as in the terminal that runs scripts/run-hub.sh: SIGINT to the hub's process group, so that it shuts
    /// down and stops a PostgreSQL of its own. Killed if it has not stopped within a minute.
    /// </summary>
    public async Task StopAsync()
    {
        using (var interrupt = Process.Start("kill", ["-INT", "--", $"-{_process.Id}"])) await interrupt.WaitForExitAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await _process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException) { Kill(); }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await StopAsync();
        _process.Dispose();
        Client.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        if (_start.Count < 200) _start.Enqueue(line);
        _log.Enqueue(line);
        while (_log.Count > 200) _log.TryDequeue(out _);
    }

    /// <summary>The checkout the tests run from: scripts/run-hub.sh starts the hub from here.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "ProductHub.sln"))) root = root.Parent;
            return root?.FullName ?? throw new DirectoryNotFoundException($"No ProductHub.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The configuration the tests were built in, which the test project's reference to Hub builds it in too.</summary>
    public static string Configuration =>
        typeof(HubHost).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The build <c>dotnet run -c Release</c> runs.</summary>
    public static string HubDll
    {
        get
        {
            var dll = Path.Combine(RepositoryRoot, "src", "Hub", "bin", Configuration, "net10.0", "ProductHub.Hub.dll");
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
