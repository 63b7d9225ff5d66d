using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;
using ProductHub.Hub.Security;
using ProductHub.Tests.Faults;
using ProductHub.Tests.Support;
using ProductHub.Tests.Workbench;

namespace ProductHub.Tests.Hosting;

/// <summary>
/// The hub exactly as a newcomer starts it: <c>scripts/run-hub.sh</c> from the repository root (so <c>dotnet run -c
/// Release</c>, the Production environment, its own PostgreSQL and the demo), with only its data folder and port
/// chosen here, and a token signed with the key it made, as <c>scripts/dev-token.sh</c> would issue.
/// </summary>
public sealed class ShippedHub : IAsyncLifetime
{
    private HubProcess? _hub;
    private IPlaywright? _playwright;

    public string DataDirectory { get; } =
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "producthub-shipped-" + Guid.NewGuid().ToString("N"))).FullName;

    public string Url => _hub!.Url;
    public string Token { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;

    /// <summary>Whether the hub wrote a line containing <paramref name="text"/> as it started, or lately.</summary>
    public bool Logged(string text) => _hub!.Logged(text);

    /// <summary>P200's ERP: the Tryton run-hub.sh starts, with its data in <c>{data}/tryton</c>, read through its own API.</summary>
    public TrytonReader Tryton { get; private set; } = null!;

    /// <summary>The hub's own cluster, which run-hub.sh keeps in <c>{data}/postgres</c>.</summary>
    public string Cluster => Path.Combine(DataDirectory, "postgres");

    public async Task InitializeAsync()
    {
        // run-hub.sh builds the shipped hub (generating its handler code), and the cluster is made from scratch: minutes
        // on a busy machine.
        var trytonPort = TrytonServer.FreePort();
        _hub = await HubProcess.Launch(
            new Dictionary<string, string?> { ["ProductHub__DataDirectory"] = DataDirectory, ["ProductHub__Demo__TrytonPort"] = trytonPort.ToString() },
            HubProcess.RepositoryRoot, "bash", "scripts/run-hub.sh").ReadyAsync(seconds: 600);
        Tryton = new TrytonReader($"http://127.0.0.1:{trytonPort}/", Path.Combine(DataDirectory, "tryton", "admin-password"));

        var key = SigningKey.Resolve(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ProductHub:DataDirectory"] = DataDirectory }).Build());
        Token = AccessTokens.Issue(key, "newcomer", [Roles.Plm, Roles.Admin]);
        Api = HubProcess.CreateClient(Url);
        Api.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        // The demo loads once the hub listens; the monitor has something to show when Stuttgart's files are written.
        await Wait.Until(async () => (await Api.GetFromJsonAsync<JsonNode>("/api/v1/deliveries?instance=erp-p100"))!["items"]!.AsArray().Count > 0 ? "" : null,
            "the demo's deliveries to P100", seconds: 120);

        _playwright = await Playwright.CreateAsync();
        Browser = await WorkbenchHub.LaunchChromiumAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Api?.Dispose();
        Tryton?.Dispose();
        // Ctrl-C, so that the hub stops its own PostgreSQL (and run-hub.sh's Tryton) as it does for a person at the terminal.
        if (_hub is not null) await _hub.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { /* a temp folder is disposable */ }
    }
}
