using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ProductHub.Bench;

/// <summary>
/// A loopback ERP with one endpoint per instance (<c>/erp/{instance}</c>) that acknowledges every delivery in its
/// answer, as the test suite's TestErp does, and tells the benchmark when each (plant, part, revision) arrived.
/// </summary>
public sealed class LoopbackErp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _receivedByInstance = new();
    private int _received;

    public sealed record Arrival(string Instance, string Plant, string PartNumber, string Revision, long Timestamp);

    private LoopbackErp(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Called on every delivery before it is acknowledged, with <see cref="Stopwatch.GetTimestamp"/> of its arrival.</summary>
    public Action<Arrival>? OnArrival { get; set; }

    public int Received => Volatile.Read(ref _received);

    public int ReceivedBy(string instance) => _receivedByInstance.GetValueOrDefault(instance);

    public static async Task<LoopbackErp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var erp = new LoopbackErp(builder.Build());
        erp._app.MapPost("/erp/{instance}", (Delegate)erp.ReceiveAsync);
        await erp._app.StartAsync();
        erp.BaseUrl = erp._app.Urls.First() + "/erp/";
        return erp;
    }

    private async Task<IResult> ReceiveAsync(string instance, HttpContext context)
    {
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!;
        var timestamp = Stopwatch.GetTimestamp();
        var item = body["item"]!;
        _receivedByInstance.AddOrUpdate(instance, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _received);
        OnArrival?.Invoke(new Arrival(instance, body["plant"]!.GetValue<string>(),
            item["partNumber"]!.GetValue<string>(), item["revision"]!.GetValue<string>(), timestamp));
        return Results.Json(new { acknowledged = true, reference = "ERP-" + body["idempotencyKey"]!.GetValue<string>()[..12] });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
