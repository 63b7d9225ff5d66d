using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ProductHub.Bench;

/// <summary>
/// Three plants with different rules, each feeding its own http ERP instance at the loopback ERP, each building
/// some of the catalog's products (overlapping, so some parts go to more than one plant).
/// </summary>
public static class Plants
{
    public static readonly string[] Codes = ["P1", "P2", "P3"];

    public static string Instance(string plant) => "erp-" + plant.ToLowerInvariant();

    public static async Task ConfigureAsync(HttpClient client, LoopbackErp erp, Catalog catalog, int productsPerPlant)
    {
        var products = catalog.Products.Select(p => p.PartNumber).ToList();
        var level3 = catalog.ByLevel[3].Select(p => p.PartNumber).ToList();
        var level4 = catalog.ByLevel[4].Select(p => p.PartNumber).ToList();
        var bought = catalog.BoughtParts.Select(p => p.PartNumber).ToList();
        var rules = new Dictionary<string, object>
        {
            // Stuttgart: the engineering structure as it is, every part with its country of origin.
            ["P1"] = new { mandatoryAttributes = new[] { new { appliesTo = "all", attribute = "compliance.countryOfOrigin" } } },
            // Monterrey: some modules blown through as phantoms, some bought parts not carried in its ERP.
            ["P2"] = new { phantoms = level4.Where((_, i) => i % 7 == 0).ToArray(), exclusions = bought.Where((_, i) => i % 50 == 0).ToArray() },
            // Pune: some sub-assemblies bought in, one bought part substituted by another.
            ["P3"] = new
            {
                makeBuy = level3.Where((_, i) => i % 5 == 0).Select(p => new { partNumber = p, procurement = "buy" }).ToArray(),
                substitutions = new[] { new { partNumber = bought[0], substitute = bought[^1] } },
            },
        };
        foreach (var plant in Codes)
        {
            await PutAsync(client, $"/api/v1/erp-instances/{Instance(plant)}", new
            {
                channel = "http", http = new { url = erp.BaseUrl + Instance(plant), timeoutSeconds = 10 },
                retry = new { maxAttempts = 5, backoffSeconds = new[] { 0.5, 2 } },
            });
            await PutAsync(client, $"/api/v1/plants/{plant}", new { name = "Plant " + plant, erpInstance = Instance(plant), rules = rules[plant] });
        }
        for (var p = 0; p < Codes.Length; p++)
        {
            // Overlapping halves: P2 shares products with P1 and P3.
            var start = p * productsPerPlant * 3 / 4 % Math.Max(1, products.Count);
            foreach (var product in products.Skip(start).Take(productsPerPlant))
                await PutAsync(client, $"/api/v1/plants/{Codes[p]}/parts/{product}", null);
        }
    }

    /// <summary>What each plant has published: part number → published parts (with their number of lines).</summary>
    public static async Task<Dictionary<string, List<(string PartNumber, int Lines)>>> PublishedAsync(HttpClient client)
    {
        var published = new Dictionary<string, List<(string, int)>>();
        foreach (var plant in Codes)
        {
            var parts = new List<(string, int)>();
            // The list is paged: follow "next" to the end.
            for (var url = $"/api/v1/plants/{plant}/parts?pageSize=500"; url is not null;)
            {
                var page = (await client.GetFromJsonAsync<JsonObject>(url))!;
                parts.AddRange(page["items"]!.AsArray().Select(p => (p!["partNumber"]!.GetValue<string>(), p["lines"]!.GetValue<int>())));
                url = page["next"]?.GetValue<string>();
            }
            published[plant] = parts;
        }
        return published;
    }

    /// <summary>
    /// Waits until the plants stop publishing and the ERP has received a delivery for every publication,
    /// and answers the number of deliveries and the time since <paramref name="since"/>.
    /// </summary>
    public static async Task<(int Deliveries, TimeSpan Elapsed)> SettledAsync(HttpClient client, LoopbackErp erp, long since, TimeSpan limit)
    {
        var lastChange = Stopwatch.GetTimestamp();
        var last = (-1, -1);
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var published = (await PublishedAsync(client)).Sum(p => p.Value.Count);
            var now = (published, erp.Received);
            if (now != last)
            {
                last = now;
                lastChange = Stopwatch.GetTimestamp();
            }
            else if (erp.Received >= published && published > 0 && Stopwatch.GetElapsedTime(lastChange) > TimeSpan.FromSeconds(3))
            {
                return (erp.Received, TimeSpan.FromTicks(Stopwatch.GetElapsedTime(since, lastChange).Ticks));
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"The plants did not settle within {limit}: {last.Item1} published, {last.Item2} delivered.");
    }

    private static async Task PutAsync(HttpClient client, string url, object? body)
    {
        using var response = await client.PutAsync(url, body is null ? new StringContent("") : JsonContent.Create(body));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"PUT {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
