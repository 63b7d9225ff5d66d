using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ProductHub.Tests.Support;

/// <summary>
/// A stand-in for an ERP's HTTP endpoint, on loopback: it records what it receives, applies each idempotency key
/// once like a well-behaved ERP, and can fail, stay silent about acknowledging, or fail for good on request.
/// </summary>
public sealed class TestErp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failNext;
    private int _dropNext;
    private int _slowNext;

    /// <param name="TraceParent">The W3C trace context the sender propagated, if any.</param>
    public sealed record Received(string IdempotencyKey, string? Authorization, JsonNode Body, string? TraceParent = null);

    private TestErp(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The requests it answered with success: what a subscriber actually took.</summary>
    public ConcurrentQueue<Received> Accepted { get; } = new();
    public ConcurrentDictionary<string, int> Applied { get; } = new();
    public string Url { get; private set; } = "";

    /// <summary>Answer 500 to this many requests from now on.</summary>
    public int FailNext { set => Interlocked.Exchange(ref _failNext, value); }

    /// <summary>Drop the connection without an answer for this many requests from now on.</summary>
    public int DropNext { set => Interlocked.Exchange(ref _dropNext, value); }

    /// <summary>Answer this many requests from now on only after <see cref="SlowBy"/>.</summary>
    public int SlowNext { set => Interlocked.Exchange(ref _slowNext, value); }

    public TimeSpan SlowBy { get; set; } = TimeSpan.FromSeconds(3);

    public bool AlwaysFail { get; set; }

    /// <summary>When set, a receiver that accepts the connection and never answers (until the sender gives up).</summary>
    public bool Silent { get; set; }

    /// <summary>Requests received and not yet answered or given up by the sender.</summary>
    public int Open => _open;

    private int _open;
    private TaskCompletionSource? _held;

    /// <summary>From now on, requests are received but answered only once the gate this returns is released.</summary>
    public TaskCompletionSource HoldAnswers() =>
        _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, an ERP gone wrong: every request is answered with this status and body, and nothing is applied.</summary>
    public (int Status, string Body)? Garbage { get; set; }

    /// <summary>When set, every request is answered 302 to this URL.</summary>
    public string? RedirectTo { get; set; }

    /// <summary>When false, a 202 without acknowledgement: the ERP confirms later by callback.</summary>
    public bool Acknowledges { get; set; } = true;

    public static async Task<TestErp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var erp = new TestErp(builder.Build());
        erp._app.MapPost("/erp/items", (Delegate)erp.Receive);
        await erp._app.StartAsync();
        erp.Url = erp._app.Urls.First() + "/erp/items";
        return erp;
    }

    private async Task<IResult> Receive(HttpContext context)
    {
        var request = context.Request;
        var key = request.Headers["Idempotency-Key"].ToString();
        var body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!;
        var received = new Received(key, request.Headers.Authorization.ToString(), body, request.Headers["traceparent"].FirstOrDefault());
        Interlocked.Increment(ref _open);
        try
        {
            Requests.Enqueue(received);
            if (Silent) await Task.Delay(Timeout.Infinite, context.RequestAborted);
            if (_held is { } held) await held.Task.WaitAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return Results.Empty;
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
        if (Interlocked.Decrement(ref _dropNext) >= 0)
        {
            context.Abort();
            return Results.Empty;
        }
        if (Interlocked.Decrement(ref _slowNext) >= 0) await Task.Delay(SlowBy);
        if (RedirectTo is { } to) return Results.Redirect(to);
        if (Garbage is { } garbage) return Results.Text(garbage.Body, "application/json", statusCode: garbage.Status);
        if (AlwaysFail || Interlocked.Decrement(ref _failNext) >= 0) return Results.Text("boom", statusCode: 500);
        Accepted.Enqueue(received);
        Applied.AddOrUpdate(key, 1, (_, n) => n + 1);
        return Acknowledges
            ? Results.Json(new { acknowledged = true, reference = $"ERP-{Applied.Count}" })
            : Results.Accepted();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
