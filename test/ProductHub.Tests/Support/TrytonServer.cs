using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProductHub.Tests.Support;

/// <summary>
/// A real Tryton 6.0 (Debian's tryton-server) of a test's own: a database copied from the machine's template
/// (<c>scripts/tryton.sh</c> makes it once) into a temp folder, served by <c>trytond</c> on a free loopback port, stopped
/// and removed afterwards. What reached it is read through Tryton's own JSON-RPC API (<see cref="TrytonReader"/>).
/// </summary>
public sealed class TrytonServer : IAsyncDisposable
{
    public const string Database = "erp";

    private readonly string _folder;
    private readonly int _port;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private TrytonReader _reader;
    private Process? _process;

    private TrytonServer(string folder, int port)
    {
        (_folder, _port) = (folder, port);
        _reader = new TrytonReader(Url, PasswordFile);
    }

    public string Url => $"http://127.0.0.1:{_port}/";

    /// <summary>The admin password, made at random with the template: what a test gives the hub (by value or as a file).</summary>
    public string PasswordFile => Path.Combine(_folder, "admin-password");

    public string Password => File.ReadAllText(PasswordFile).Trim();

    public static async Task<TrytonServer> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "producthub-tryton-" + Guid.NewGuid().ToString("N"));
        var server = new TrytonServer(folder, FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts trytond (again, after <see cref="StopAsync"/>) on the same port and database.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "scripts", "tryton.sh"), "serve", _folder, _port.ToString()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        _process = Process.Start(start)!;
        var output = new StringBuilder();
        _process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // The template may be initialised first (once per machine, about 35 s).
        var until = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) throw new InvalidOperationException($"trytond stopped at start:\n{output}");
            try
            {
                using var answer = await _http.PostAsync(Url, TrytonReader.Json(new { id = 0, method = "common.server.version", @params = Array.Empty<object>() }));
                if (answer.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(200);
        }
        throw new TimeoutException($"trytond did not answer on {Url} within 3 minutes:\n{output}");
    }

    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        _reader = new TrytonReader(Url, PasswordFile);
    }

    /// <summary><c>search_read</c> through Tryton's API: the records of a model matching a domain, with these fields.</summary>
    public Task<List<JsonObject>> ReadAsync(string model, object[] domain, params string[] fields) => _reader.ReadAsync(model, domain, fields);

    /// <summary>How many records of a model Tryton holds.</summary>
    public Task<int> CountAsync(string model) => _reader.CountAsync(model);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _reader.Dispose();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a temp folder is disposable */ }
    }
}

/// <summary>
/// What a Tryton holds, read through its own JSON-RPC API as the admin (not through the hub's client): for the tests of
/// the connector and of the shipped demo.
/// </summary>
public sealed class TrytonReader(string url, string passwordFile) : IDisposable
{
    public const string User = "admin";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string? _session;

    /// <summary><c>search_read</c> through Tryton's API: the records of a model matching a domain, with these fields.</summary>
    public async Task<List<JsonObject>> ReadAsync(string model, object[] domain, params string[] fields)
    {
        _session ??= await LoginAsync();
        var answer = await CallAsync($"model.{model}.search_read", [domain, 0, null, null, fields, new { }], _session);
        return [.. answer!.AsArray().OfType<JsonObject>()];
    }

    /// <summary>How many records of a model Tryton holds.</summary>
    public async Task<int> CountAsync(string model) => (await ReadAsync(model, [], "id")).Count;

    private async Task<string> LoginAsync()
    {
        var password = (await File.ReadAllTextAsync(passwordFile)).Trim();
        var login = (await CallAsync("common.db.login", [User, new { password }], null))!.AsArray();
        return "Session " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{login[0]}:{login[1]}"));
    }

    private async Task<JsonNode?> CallAsync(string method, object?[] parameters, string? session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}{TrytonServer.Database}/")
        {
            Content = Json(new { id = 1, method, @params = parameters }),
        };
        if (session is not null) request.Headers.TryAddWithoutValidation("Authorization", session);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return body["error"] is { } error ? throw new InvalidOperationException($"Tryton: {error.ToJsonString()}") : body["result"];
    }

    /// <summary>With its length: trytond's server (Werkzeug's) does not read a chunked request body.</summary>
    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public void Dispose() => _http.Dispose();
}
