using System.Text.Json.Nodes;
using Alba;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ProductHub.Hub.Security;
using ProductHub.Tests.Faults;
using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Security;

/// <summary>
/// A secret planted in an http ERP instance and in a webhook, then looked for everywhere a reader could find it: every
/// GET endpoint the hub maps (walked from its endpoint table, so a new one is searched from its first day) as each
/// role, the feed, the OpenAPI document, every captured log line and every table of the database. The receivers must
/// still get it, and only in the Authorization header.
/// </summary>
public sealed class when_a_secret_is_planted(HubFixture fixture, ITestOutputHelper output) : TestErpScenario(fixture)
{
    private readonly string _planted = "S3CRET-" + Guid.NewGuid().ToString("N");
    private string ErpSecret => $"Bearer {_planted}-erp";
    private string HookSecret => $"Bearer {_planted}-hook";

    private static readonly string Ada = TestTokens.For("ada", [Roles.Admin]);
    private static readonly string Pat = TestTokens.For("pat", [Roles.Plm]);
    private static readonly (string Role, string Token)[] Readers =
    [
        ("auditor", TestTokens.For("audrey", [Roles.Auditor])), ("erp", TestTokens.For("erp-p100", [Roles.Erp], "P100")),
        ("plm", Pat), ("admin", Ada),
    ];

    /// <summary>What the hub was asked to do, with each answer's text kept to be searched too.</summary>
    private readonly List<string> _answers = [];

    private async Task<Answer> Call(string token, string method, string url, object body)
    {
        var answer = await Api.As(token).Send(method, url, body);
        _answers.Add(answer.ToString());
        return answer;
    }

    private async Task PlantTheSecrets()
    {
        (await Call(Ada, "PUT", "/api/v1/erp-instances/erp-p100", new
        {
            channel = "http", http = new { url = Erp.Url, authHeader = ErpSecret, timeoutSeconds = 5 },
            retry = new { maxAttempts = 3, backoffSeconds = new[] { 0.2 } },
        })).Status.ShouldBe(201);
        (await Call(Ada, "PUT", "/api/v1/webhooks/audit-trail", new
        {
            url = Erp.Url, authHeader = HookSecret, start = "beginning", retry = new { maxAttempts = 3, backoffSeconds = new[] { 0.2 } },
        }))
            .Status.ShouldBe(200);
        // One failed attempt of each kind, so that error paths log and record too.
        Erp.FailNext = 2;
        (await Call(Pat, "POST", "/api/v1/releases", Release())).Status.ShouldBe(201);
        (await Call(Ada, "PUT", "/api/v1/plants/P100", new { name = "Stuttgart", erpInstance = "erp-p100" })).Status.ShouldBe(201);
        await Api.As(Ada).Settled(api => api.Assign("P100", "HOUSING"));
        (await Call(Ada, "PUT", "/api/v1/change-order-policies/standard", new
        {
            stages = new[] { new { name = "erp", steps = new[] { new { name = "erp-bom", target = "erp-p100", action = "update-bom", timeoutSeconds = 5 } } } },
        })).Status.ShouldBe(200);
        (await Call(Pat, "POST", "/api/v1/change-orders", new
        {
            number = "ECO-7", type = "standard", reason = "Stronger housing", requestedEffectivity = "2026-06-01",
            affected = new[] { new { partNumber = "HOUSING", revision = "A" } }, approval = new { approvedBy = "pat" },
        })).Status.ShouldBe(201);

        await Wait.Until(async () => (await Api.Get("/api/v1/change-orders/ECO-7")).Json["state"]!.GetValue<string>() == "completed" ? "" : null,
            "the change order to complete");
        await Wait.Until(async () => (await Api.Get("/api/v1/deliveries?status=acknowledged")).Items.Count == 3 ? "" : null,
            "the housing's three deliveries to be acknowledged");
        var head = (await Api.Get("/api/v1/feed/head")).Json["position"]!.GetValue<long>();
        await Wait.Until(async () => (await Api.Get("/api/v1/webhooks/audit-trail")).Json["position"]!.GetValue<long>() >= head ? "" : null,
            "the webhook to have pushed the whole feed");
    }

    [Fact]
    public async Task no_answer_no_log_line_and_no_table_holds_it_and_the_receivers_still_authenticate_with_it()
    {
        await PlantTheSecrets();

        var searched = 0;
        var found = new List<string>();
        foreach (var (role, token) in Readers)
        {
            foreach (var url in await EveryReadableUrl())
            {
                searched++;
                if (Holds(await Text(token, url))) found.Add($"GET {url} as {role}");
            }
        }
        found.AddRange(_answers.Where(Holds));
        var lines = Logs.Lines;
        found.AddRange(lines.Where(Holds).Select(l => "log: " + l));
        found.AddRange((await DatabaseSearch.TablesHoldingAsync(EventStore.ConnectionStringOf(Host), _planted)).Select(t => "table " + t));
        found.AddRange(Erp.Requests.Where(r => Holds(r.Body.ToJsonString())).Select(r => "body received under " + r.IdempotencyKey));

        found.ShouldBeEmpty();
        var steps = Erp.Requests.Where(r => r.Body["changeOrder"] is not null).ToList();
        var deliveries = Erp.Requests.Where(r => r.Body["changeOrder"] is null && r.Body["events"] is null).ToList();
        var pushes = Erp.Requests.Where(r => r.Body["events"] is not null).ToList();
        steps.ShouldNotBeEmpty();
        deliveries.Count.ShouldBeGreaterThanOrEqualTo(3);
        pushes.ShouldNotBeEmpty();
        steps.Concat(deliveries).ShouldAllBe(r => r.Authorization == ErpSecret);
        pushes.ShouldAllBe(r => r.Authorization == HookSecret);
        output.WriteLine($"answers searched: {searched + _answers.Count}, log lines searched: {lines.Count}, " +
                         $"requests received: {Erp.Requests.Count}, found: 0");
    }

    private bool Holds(string text) => text.Contains(_planted, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Every GET route of the hub's endpoint table with its parameters filled from what the scenario made, lists as
    /// one long page, the feed from its beginning. A route parameter the probe does not know fails the test.
    /// </summary>
    private async Task<List<string>> EveryReadableUrl()
    {
        var values = new Dictionary<string, string[]>
        {
            ["partNumber"] = ["PUMP", "HOUSING", "BOLT"], ["plantCode"] = ["P100"], ["name"] = ["erp-p100", "audit-trail"],
            ["id"] = (await Api.Get("/api/v1/deliveries?pageSize=500")).Items.Select(d => d!["deliveryId"]!.GetValue<string>()).ToArray(),
            ["number"] = ["ECO-7"], ["type"] = ["standard"], ["packageId"] = ["REL-PUMP"], ["code"] = ["EA"],
            ["path"] = ["canonical/v1/erp-instance.schema.json", "canonical/v1/webhook.schema.json"], ["documentName"] = ["v1"],
            ["documentNumber"] = ["DRW-1"], ["revision"] = ["A"],
        };
        var routes = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") != false)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            // The workbench's pages and Blazor's plumbing need the sign-in cookie; they show what these endpoints answer.
            .Where(r => !r.StartsWith("/ui", StringComparison.Ordinal) && !r.StartsWith("/_", StringComparison.Ordinal))
            // The catch-all route of static files.
            .Where(r => !r.StartsWith("/{", StringComparison.Ordinal))
            .Distinct().ToList();
        routes.Count.ShouldBeGreaterThan(25);

        var urls = new List<string>();
        foreach (var route in routes)
        {
            var filled = new List<string> { route };
            foreach (System.Text.RegularExpressions.Match parameter in System.Text.RegularExpressions.Regex.Matches(route, @"\{\**(\w+)[^}]*\}"))
            {
                values.TryGetValue(parameter.Groups[1].Value, out var candidates)
                    .ShouldBeTrue($"{route}: the probe has no value for {{{parameter.Groups[1].Value}}}");
                filled = filled.SelectMany(u => candidates!.Select(c => u.Replace(parameter.Value, c))).ToList();
            }
            urls.AddRange(filled.Select(u => u + (u == "/api/v1/feed" ? "?after=0&limit=1000" : "?pageSize=500")));
        }
        return urls;
    }

    private async Task<string> Text(string token, string url)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader("Authorization", "Bearer " + token);
            s.IgnoreStatusCode();
        });
        return await result.ReadAsTextAsync();
    }
}
