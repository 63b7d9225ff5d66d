using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Wolverine;
using Wolverine.Tracking;

namespace ProductHub.Tests.Support;

/// <summary>The calls the scenarios make, each returning the status and the parsed JSON answer.</summary>
public sealed class HubApi(IAlbaHost host, string? token = null)
{
    /// <summary>The same calls with this bearer token; an empty one sends none.</summary>
    public HubApi As(string bearerToken) => new(host, bearerToken);

    public Task<Answer> Release(object package) => Send(s => s.Post.Json(package).ToUrl("/api/v1/releases"));

    public Task<Answer> ReleaseText(string body) =>
        Send(s => s.Post.Text(body).ToUrl("/api/v1/releases"));

    public Task<Answer> DefineUnit(string code, object body) =>
        Send(s => s.Put.Json(body).ToUrl($"/api/v1/units/{Uri.EscapeDataString(code)}"));

    public Task<Answer> Get(string url) => Send(s => s.Get.Url(url));

    public Task<Answer> Post(string url, object body) => Send(s => s.Post.Json(body).ToUrl(url));

    /// <summary>A POST with no body at all, as a client of an endpoint whose body is optional sends it.</summary>
    public Task<Answer> Post(string url) => Send(s => s.Post.Url(url));

    public Task<Answer> Send(string method, string url, object body) => Send(s =>
    {
        switch (method)
        {
            case "GET": s.Get.Url(url); break;
            case "PUT": s.Put.Json(body).ToUrl(url); break;
            default: s.Post.Json(body).ToUrl(url); break;
        }
    });

    public Task<Answer> ConfigurePlant(string plantCode, object body) =>
        Send(s => s.Put.Json(body).ToUrl($"/api/v1/plants/{Uri.EscapeDataString(plantCode)}"));

    public Task<Answer> Assign(string plantCode, string partNumber) =>
        Send(s => s.Put.Text("").ToUrl($"/api/v1/plants/{Uri.EscapeDataString(plantCode)}/parts/{Uri.EscapeDataString(partNumber)}"));

    public Task<Answer> ReferenceData(string plantCode, object body) =>
        Post($"/api/v1/plants/{Uri.EscapeDataString(plantCode)}/reference-data", body);

    public Task<Answer> ReferenceDataCsv(string plantCode, string csv) => Send(s =>
    {
        s.Post.Text(csv).ToUrl($"/api/v1/plants/{Uri.EscapeDataString(plantCode)}/reference-data");
        s.WithRequestHeader("Content-Type", "text/csv");
    });

    public Task<Answer> Mbom(string plantCode, string partNumber, string query = "") =>
        Get($"/api/v1/plants/{Uri.EscapeDataString(plantCode)}/parts/{Uri.EscapeDataString(partNumber)}/mbom{(query == "" ? "" : "?" + query)}");

    public Task<Answer> PlantParts(string plantCode) => Get($"/api/v1/plants/{Uri.EscapeDataString(plantCode)}/parts");

    public Task<Answer> Published(string plantCode, string partNumber) =>
        Get($"/api/v1/plants/{Uri.EscapeDataString(plantCode)}/parts/{Uri.EscapeDataString(partNumber)}");

    public Task<Answer> Exceptions(string query = "") => Get("/api/v1/exceptions" + (query == "" ? "" : "?" + query));

    /// <summary>
    /// Runs a call and waits until every message it caused (plant syncs, through the durable outbox) is handled,
    /// so the test reads what the hub settles on rather than a moment in between.
    /// </summary>
    public async Task<Answer> Settled(Func<HubApi, Task<Answer>> call)
    {
        Answer? answer = null;
        await host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).ExecuteAndWaitAsync(
            (Func<IMessageContext, Task>)(async _ => answer = await call(this)));
        return answer!;
    }

    public Task<Answer> Part(string partNumber) => Get($"/api/v1/parts/{Uri.EscapeDataString(partNumber)}");

    public Task<Answer> History(string partNumber) => Get($"/api/v1/parts/{Uri.EscapeDataString(partNumber)}/history");

    public Task<Answer> Bom(string partNumber, string query = "") =>
        Get($"/api/v1/parts/{Uri.EscapeDataString(partNumber)}/bom{(query == "" ? "" : "?" + query)}");

    public Task<Answer> WhereUsed(string partNumber, string query = "") =>
        Get($"/api/v1/parts/{Uri.EscapeDataString(partNumber)}/where-used{(query == "" ? "" : "?" + query)}");

    private async Task<Answer> Send(Action<Scenario> configure)
    {
        var result = await host.Scenario(s =>
        {
            configure(s);
            if (token is not null) s.WithRequestHeader("Authorization", token == "" ? "" : "Bearer " + token);
            s.IgnoreStatusCode();
        });
        var text = await result.ReadAsTextAsync();
        var contentType = result.Context.Response.ContentType;
        // Only JSON answers are parsed: /metrics is Prometheus text, and a framework 404 may be plain text.
        return new Answer(
            result.Context.Response.StatusCode,
            contentType,
            result.Context.Response.Headers.Location.ToString(),
            string.IsNullOrWhiteSpace(text) || contentType?.Contains("json") != true ? null : JsonNode.Parse(text),
            text);
    }
}

public sealed record Answer(int Status, string? ContentType, string Location, JsonNode? Body, string Text = "")
{
    public JsonNode Json => Body ?? throw new InvalidOperationException("The answer had no body");

    /// <summary>The items of a list endpoint's page.</summary>
    public JsonArray Items => Json["items"]?.AsArray() ?? throw new InvalidOperationException($"Not a page of a list: {this}");

    /// <summary>The fields a problem details answer names in <c>errors</c>.</summary>
    public IReadOnlyList<string> ErrorFields =>
        Json["errors"]?.AsObject().Select(e => e.Key).ToList() ?? [];

    public override string ToString() => $"{Status} {Body?.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}";
}
