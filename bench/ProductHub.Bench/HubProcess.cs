using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using ProductHub.Hub.Security;

namespace ProductHub.Bench;

/// <summary>
/// The real hub, run as its own process from the Release build on a free loopback port, so that its memory is
/// its own: the working set is sampled from /proc while a phase runs.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _windowPeakKb;
    private int _disposed;

    private HubProcess(Process process, StreamWriter log, Uri baseAddress, string signingKey)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        // The benchmark plays PLM (releases) and the administrator (plants, ERP instances, resync).
        Client = HubClient.Create(baseAddress, AccessTokens.Issue(
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), "bench", [Roles.Plm, Roles.Admin], lifetime: TimeSpan.FromDays(1)));
        _sampler = Task.Run(SampleAsync);
    }

    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public int Pid => _process.Id;

    public static async Task<HubProcess> StartAsync(string hubDll, string connectionString, string dataDirectory, string logFile)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(hubDll)!,
        };
        foreach (var arg in new[] { hubDll, "--urls", $"http://127.0.0.1:{port}" }) start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__ProductHub"] = connectionString;
        start.Environment["ProductHub__DataDirectory"] = dataDirectory;
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        start.Environment["ProductHub__Auth__SigningKey"] = signingKey;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Request logging of every call would measure the console, not the hub.
        start.Environment["Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware"] = "Warning";

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the hub.");
        var log = new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var hub = new HubProcess(process, log, new Uri($"http://127.0.0.1:{port}"), signingKey);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The hub exited with code {process.ExitCode}; see {logFile}.");
            try
            {
                if ((await hub.Client.GetAsync("/health/live")).IsSuccessStatusCode) return hub;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(250);
        }
        await hub.DisposeAsync();
        throw new TimeoutException($"The hub did not answer /health/live within 3 minutes; see {logFile}.");
    }

    /// <summary>Starts a window of memory measurement; the peak resident set seen until the next call is returned by <see cref="PeakSinceMark"/>.</summary>
    public void MarkMemoryWindow() => Interlocked.Exchange(ref _windowPeakKb, ReadStatusKb("VmRSS"));

    public double PeakSinceMarkMb => Interlocked.Read(ref _windowPeakKb) / 1024.0;

    /// <summary>The process's lifetime peak resident set as the kernel counts it.</summary>
    public double LifetimePeakMb => ReadStatusKb("VmHWM") / 1024.0;

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var rss = ReadStatusKb("VmRSS");
            long seen;
            do { seen = Interlocked.Read(ref _windowPeakKb); }
            while (rss > seen && Interlocked.CompareExchange(ref _windowPeakKb, rss, seen) != seen);
            try { await Task.Delay(100, _stop.Token); }
            catch (OperationCanceledException) { return; }
        }
    }

    private long ReadStatusKb(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException) { return 0; }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync();
        await _sampler;
        if (!_process.HasExited)
        {
            // SIGTERM first, so the hub stops its listeners and flushes; killed if it does not within 30 s.
            Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        Client.Dispose();
        lock (_log) _log.Dispose();
    }
}

/// <summary>The one place the benchmark's HTTP client to the hub is made (and where credentials would be added).</summary>
public static class HubClient
{
    public static HttpClient Create(Uri baseAddress, string bearerToken) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    })
    {
        BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5),
        DefaultRequestHeaders = { Authorization = new("Bearer", bearerToken) },
    };
}
