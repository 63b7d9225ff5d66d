using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ProductHub.Hub.Infrastructure;
using ProductHub.Hub.Security;

namespace ProductHub.Hub.Demo;

/// <summary>
/// The demo, sent through the hub's own API exactly as PLM and the plants' ERPs would send it: a pump released
/// as rev A, then rev B with a dated impeller change; plant P100 (Stuttgart) that blows the seal kit through and
/// requires countries of origin, with its ERP costs as a CSV file; plant P200 (Monterrey) with a bolt
/// substitution, an exclusion, a bought housing and approved manufacturers required. P100's ERP takes files: its
/// deliveries land as CSV in <c>{erpFolder}/p100/out</c>, and an ack file in <c>.../ack</c> acknowledges one. P200's is a
/// real Tryton when <c>ProductHub:Demo:Tryton:Url</c> names one (scripts/run-hub.sh starts it), and takes files too otherwise.
/// Every call is idempotent.
/// </summary>
public static class DemoData
{
    public static IEnumerable<(string Name, string Text)> Files(string extension)
    {
        var assembly = typeof(DemoData).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("demo/") && n.EndsWith(extension)).Order())
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return (name, reader.ReadToEnd());
        }
    }

    public static IEnumerable<(string Name, string Json)> Packages() => Files(".json").Where(f => !f.Name.EndsWith("plants.json"));

    /// <param name="tryton">P200's Tryton: its URL and the file holding the admin password; null: P200 takes files.</param>
    public static async Task LoadAsync(HttpClient http, string erpFolder, ILogger logger, (string Url, string PasswordFile)? tryton = null)
    {
        await ConfigureWhenMissingAsync(http, "erp-p100", FileErp(erpFolder, "P100", "1000"), logger);
        await ConfigureWhenMissingAsync(http, "erp-p200", tryton is { } t ? TrytonErp(t.Url, t.PasswordFile) : FileErp(erpFolder, "P200", "2000"), logger);
        foreach (var (name, json) in Packages())
        {
            await Send(http.PostAsync("/api/v1/releases", Content(json, "application/json")), name, logger);
        }
        foreach (var (name, json) in Files("plants.json"))
        {
            foreach (var plant in JsonNode.Parse(json)!.AsArray().Select(p => p!))
            {
                var code = plant["code"]!.GetValue<string>();
                await Send(http.PutAsJsonAsync($"/api/v1/plants/{code}", plant["plant"]), $"{name} {code}", logger);
                foreach (var part in plant["assign"]!.AsArray().Select(p => p!.GetValue<string>()))
                {
                    await Send(http.PutAsync($"/api/v1/plants/{code}/parts/{part}", null), $"{code} builds {part}", logger);
                }
            }
        }
        foreach (var (name, csv) in Files(".csv"))
        {
            var code = name["demo/".Length..].Split('-')[1];
            await Send(http.PostAsync($"/api/v1/plants/{code}/reference-data", Content(csv, "text/csv")), name, logger);
        }
    }

    public static void LoadWhenStarted(WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
                .Replace("//+", "//localhost").Replace("//*", "//localhost").Replace("//0.0.0.0", "//localhost");
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            // The demo plays PLM (releases) and the administrator (plants, ERP instance) with a token of its own.
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                AccessTokens.Issue(SigningKey.Resolve(app.Configuration), "demo", [Roles.Plm, Roles.Admin], lifetime: TimeSpan.FromMinutes(10)));
            var dataDirectory = DataFolder.Of(app.Configuration);
            var tryton = app.Configuration["ProductHub:Demo:Tryton:Url"] is { Length: > 0 } url
                ? (url, app.Configuration["ProductHub:Demo:Tryton:PasswordFile"] ?? "")
                : ((string, string)?)null;
            await LoadAsync(http, Path.GetFullPath(Path.Combine(dataDirectory, "erp")), app.Logger, tryton);
            app.Logger.LogInformation(
                "Demo data loaded. Workbench: {Address}/ui (sign in with a token from scripts/dev-token.sh --role admin --role plm); " +
                "API: {Address}/api/v1/parts/PN-1000/bom?depth=all with a bearer token from scripts/dev-token.sh --role auditor",
                address, address);
        }));

    /// <summary>An ERP that takes files: deliveries in <c>{erpFolder}/{plant}/out</c>, acknowledgements from <c>.../ack</c>.</summary>
    private static object FileErp(string erpFolder, string plantCode, string erpPlantCode)
    {
        var folder = Path.Combine(erpFolder, plantCode.ToLowerInvariant());
        return new
        {
            channel = "file",
            file = new { dropFolder = Path.Combine(folder, "out"), ackFolder = Path.Combine(folder, "ack"), format = "csv" },
            mapping = new { version = "v1", unitCodes = new Dictionary<string, string> { ["EA"] = "PCE" }, plantCodes = new Dictionary<string, string> { [plantCode] = erpPlantCode } },
        };
    }

    /// <summary>A Tryton whose admin password the hub reads from a file at each login; the hub's units are Tryton's symbols.</summary>
    private static object TrytonErp(string url, string passwordFile) => new
    {
        channel = "tryton",
        tryton = new { url, database = "erp", user = "admin", passwordFrom = new { file = Path.GetFullPath(passwordFile) } },
        mapping = new { version = "v1", unitCodes = new Dictionary<string, string> { ["EA"] = "u", ["KG"] = "kg", ["G"] = "g" } },
    };

    /// <summary>
    /// Only an instance that does not exist yet: one an administrator has changed since (or a test has put in place)
    /// stays as it is, while a data folder from before the demo had it gets it now.
    /// </summary>
    private static async Task ConfigureWhenMissingAsync(HttpClient http, string name, object instance, ILogger logger)
    {
        using var existing = await http.GetAsync($"/api/v1/erp-instances/{name}");
        if (existing.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            existing.EnsureSuccessStatusCode();
            logger.LogInformation("Demo ERP instance {Name}: kept as configured", name);
            return;
        }
        await Send(http.PutAsJsonAsync($"/api/v1/erp-instances/{name}", instance), $"ERP instance {name}", logger);
    }

    private static StringContent Content(string text, string mediaType) => new(text, new MediaTypeHeaderValue(mediaType));

    private static async Task Send(Task<HttpResponseMessage> call, string what, ILogger logger)
    {
        using var response = await call;
        logger.LogInformation("Demo {What}: {Status}", what, (int)response.StatusCode);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Demo {what} was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
