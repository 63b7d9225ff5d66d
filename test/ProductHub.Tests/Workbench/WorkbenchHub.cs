using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using ProductHub.Hub;
using ProductHub.Hub.Demo;
using ProductHub.Tests.Support;
using Wolverine;

namespace ProductHub.Tests.Workbench;

/// <summary>
/// The hub on a real Kestrel port (a browser cannot reach an in-memory test server), on a database of its own in
/// the test cluster, loaded with the demo through its API, and Debian's Chromium driven by Playwright. P200's ERP
/// and a MES are loopback test doubles that fail until a test lets them succeed, so there are dead letters and a
/// failed change order step to act on.
/// </summary>
public sealed class WorkbenchHub : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private WebApplicationFactory<Program>? _hub;
    private IPlaywright? _playwright;
    private string _folder = "";

    /// <summary>The one client the tests (and the demo loader) call the hub's API with.</summary>
    public HttpClient Api { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public TestErp PlantErp { get; private set; } = null!;
    public TestErp Mes { get; private set; } = null!;

    /// <summary>A QMS that takes steps but confirms by a callback that never comes here, so its change order stays in flight.</summary>
    public TestErp Qms { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "producthub-workbench-" + Guid.NewGuid().ToString("N"))).FullName;
        PlantErp = await TestErp.StartAsync();
        PlantErp.AlwaysFail = true;
        Mes = await TestErp.StartAsync();
        Mes.AlwaysFail = true;
        Qms = await TestErp.StartAsync();
        Qms.Acknowledges = false;
        await StartHubAsync(await OwnDatabase.CreateAsync());
        await SeedAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>Debian's Chromium, headless, for a network that is closed.</summary>
    public static async Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // The network here is closed: without these Chromium waits on connections it cannot make.
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        Assertions.SetDefaultExpectTimeout(20_000);
        return browser;
    }

    /// <summary>
    /// Opens a workbench page in a fresh browser context at laptop size, signed in (as PLM and administrator unless
    /// another token is given), once it is live.
    /// </summary>
    public Task<IPage> OpenAsync(string path, string? token = null) => OpenAsync(Browser, BaseUrl + path, token ?? TestTokens.Default);

    /// <summary>The same for any hub: <paramref name="url"/> is the page's full address.</summary>
    public static async Task<IPage> OpenAsync(IBrowser browser, string url, string token, Action<IPage>? watch = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            // Date fields take their order of month, day and year from the locale.
            Locale = "en-US",
        });
        var page = await context.NewPageAsync();
        watch?.Invoke(page);
        await page.GotoAsync(url);
        // A browser without the workbench cookie is sent to sign in, and comes back to the page it asked for.
        await page.GetByLabel("Bearer token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Saves what the page shows when <c>WORKBENCH_SCREENSHOTS</c> names a folder (docs/screenshots for the docs).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("WORKBENCH_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public async Task<JsonNode> GetAsync(string url) => (await Api.GetFromJsonAsync<JsonNode>(url))!;

    /// <summary>The first page of a list (enough for the handful of items the demo makes).</summary>
    public async Task<JsonArray> ListAsync(string url) => (await GetAsync(url))["items"]!.AsArray();

    private async Task StartHubAsync(string connectionString)
    {
        // Settings are read while the hub builds; its own folders keep its watchers away from the shared hub's files.
        var settings = new Dictionary<string, string>
        {
            [$"ConnectionStrings__{HubHost.ConnectionStringName}"] = connectionString,
            ["ProductHub__DataDirectory"] = _folder,
            ["ProductHub__ReferenceDataDropFolder"] = Path.Combine(_folder, "drop", "reference-data"),
            ["ProductHub__StatusEventDropFolder"] = Path.Combine(_folder, "drop", "status-events"),
        };
        var before = settings.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (name, value) in settings) Environment.SetEnvironmentVariable(name, value);
        try
        {
            _hub = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.ConfigureServices(s => s.RunWolverineInSoloMode()));
            _hub.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
            _hub.StartServer();
        }
        finally
        {
            foreach (var (name, value) in before) Environment.SetEnvironmentVariable(name, value);
        }
        BaseUrl = _hub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Api = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Api.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Default);
    }

    private async Task SeedAsync()
    {
        await Put("/api/v1/erp-instances/erp-p200", new { channel = "http", http = new { url = PlantErp.Url, timeoutSeconds = 5 }, retry = new { maxAttempts = 1 } });
        await DemoData.LoadAsync(Api, Path.Combine(_folder, "erp"), NullLogger.Instance);
        await Wait.Until(async () => (await ListAsync("/api/v1/deliveries?instance=erp-p200&status=deadLettered")).Count >= 2 ? "" : null,
            "P200's deliveries to be dead lettered");
        await Wait.Until(async () => (await ListAsync("/api/v1/exceptions?plant=P200&status=open")).Count >= 2 ? "" : null,
            "P200's exceptions");

        await AcknowledgeP100Async();

        await Put("/api/v1/erp-instances/mes-1", new { channel = "http", http = new { url = Mes.Url, timeoutSeconds = 5 }, retry = new { maxAttempts = 1 } });
        await Put("/api/v1/change-order-policies/routing", new
        {
            stages = new[]
            {
                new { name = "mes", steps = new[] { new { name = "mes-routing", target = "mes-1", action = "update-routing", timeoutSeconds = 5,
                    retry = new { maxAttempts = 1, backoffSeconds = new[] { 0.1 } }, blocking = false } } },
            },
        });
        (await Api.PostAsJsonAsync("/api/v1/change-orders", new
        {
            number = "ECO-WB-1", type = "routing", reason = "New impeller routing", requestedEffectivity = "2026-10-01",
            affected = new[] { new { partNumber = "PN-1000", revision = "B" } }, approval = new { approvedBy = "plm-approver" },
        })).EnsureSuccessStatusCode();
        await Wait.Until(async () => await StepStatus("ECO-WB-1") == "failed" ? "" : null, "the MES step to fail");

        await Put("/api/v1/erp-instances/qms-1", new { channel = "http", http = new { url = Qms.Url, timeoutSeconds = 5 } });
        await Put("/api/v1/change-order-policies/quality", new
        {
            stages = new[]
            {
                new { name = "quality", steps = new[] { new { name = "qms-plan", target = "qms-1", action = "update-inspection-plan",
                    timeoutSeconds = 86400, compensation = new { action = "revert-inspection-plan" } } } },
            },
        });
        (await Api.PostAsJsonAsync("/api/v1/change-orders", new
        {
            number = "ECO-WB-2", type = "quality", reason = "Tighter impeller inspection", requestedEffectivity = "2026-10-01",
            affected = new[] { new { partNumber = "PN-1000", revision = "B" } }, approval = new { approvedBy = "plm-approver" },
        })).EnsureSuccessStatusCode();
        await Wait.Until(async () => await StepStatus("ECO-WB-2") == "sent" ? "" : null, "the QMS step to be sent");
    }

    /// <summary>P100's ERP takes files: it acknowledges by writing <c>{key}.ack</c> into its ack folder, as the demo's README says.</summary>
    private async Task AcknowledgeP100Async()
    {
        var sent = await Wait.Until(async () =>
        {
            var found = await ListAsync("/api/v1/deliveries?instance=erp-p100&status=sent");
            return found.Count > 0 ? found : null;
        }, "P100's deliveries to be written");
        var ackFolder = Directory.CreateDirectory(Path.Combine(_folder, "erp", "p100", "ack")).FullName;
        foreach (var delivery in sent)
        {
            var key = delivery!["idempotencyKey"]!.GetValue<string>();
            await File.WriteAllTextAsync(Path.Combine(ackFolder, key + ".ack"), "SAP-" + key[..8]);
        }
        await Wait.Until(async () => (await ListAsync("/api/v1/deliveries?instance=erp-p100&status=acknowledged")).Count >= sent.Count ? "" : null,
            "P100's acknowledgements");
    }

    public async Task<string> StepStatus(string changeOrder) =>
        (await GetAsync($"/api/v1/change-orders/{changeOrder}"))["steps"]![0]!["forward"]!["status"]!.GetValue<string>();

    public async Task Put(string url, object body) => (await Api.PutAsJsonAsync(url, body)).EnsureSuccessStatusCode();

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Api?.Dispose();
        if (_hub is not null) await _hub.DisposeAsync();
        await PlantErp.DisposeAsync();
        await Mes.DisposeAsync();
        await Qms.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* files may still be closing; a temp folder is disposable */ }
    }
}
