using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ProductHub.Hub.Security;

namespace ProductHub.Hub.Demo;

/// <summary>
/// The demo, sent through the hub's own API exactly as PLM and the plants' ERPs would send it: a pump released
/// as rev A, then rev B with a dated impeller change; plant P100 (Stuttgart) that blows the seal kit through and
/// requires countries of origin, with its ERP costs as a CSV file; plant P200 (Monterrey) with a bolt
/// substitution, an exclusion, a bought housing and approved manufacturers required. P100's ERP takes files: its
/// deliveries land as CSV in <c>{erpFolder}/p100/out</c>, and an ack file in <c>.../ack</c> acknowledges one.
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

    public static async Task LoadAsync(HttpClient http, string erpFolder, ILogger logger)
    {
        var p100 = Path.Combine(erpFolder, "p100");
        await Send(http.PutAsJsonAsync("/api/v1/erp-instances/erp-p100", new
        {
            channel = "file",
            file = new { dropFolder = Path.Combine(p100, "out"), ackFolder = Path.Combine(p100, "ack"), format = "csv" },
            mapping = new { version = "v1", unitCodes = new Dictionary<string, string> { ["EA"] = "PCE" }, plantCodes = new Dictionary<string, string> { ["P100"] = "1000" } },
        }), "ERP instance erp-p100", logger);
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
            var dataDirectory = HubHost.DataDirectory(app.Configuration);
            await LoadAsync(http, Path.GetFullPath(Path.Combine(dataDirectory, "erp")), app.Logger);
            app.Logger.LogInformation(
                "Demo data loaded. Workbench: {Address}/ui (sign in with a token from scripts/dev-token.sh --role admin --role plm); " +
                "API: {Address}/api/v1/parts/PN-1000/bom?depth=all with a bearer token from scripts/dev-token.sh --role auditor",
                address, address);
        }));

    private static StringContent Content(string text, string mediaType) => new(text, new MediaTypeHeaderValue(mediaType));

    private static async Task Send(Task<HttpResponseMessage> call, string what, ILogger logger)
    {
        using var response = await call;
        logger.LogInformation("Demo {What}: {Status}", what, (int)response.StatusCode);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Demo {what} was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
