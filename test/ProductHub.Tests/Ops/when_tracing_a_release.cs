using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using ProductHub.Hub.Observability;
using ProductHub.Tests.Support;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Ops;

/// <summary>
/// One release, followed from the HTTP request through Marten and Wolverine to the adapter's send and the ERP's
/// acknowledgement: one trace, every span carrying the release's correlation id.
/// </summary>
public sealed class when_tracing_a_release(HubFixture fixture) : TestErpScenario(fixture)
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string PlmSpan = "00f067aa0ba902b7";

    [Fact]
    public async Task the_spans_from_request_to_acknowledgement_share_one_trace_and_the_correlation_id()
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        await Api.Send("PUT", "/api/v1/erp-instances/erp-trace", new { channel = "http", http = new { url = Erp.Url, timeoutSeconds = 5 } });
        await Api.ConfigurePlant("TR1", new { name = "Traced", erpInstance = "erp-trace" });
        await Api.Settled(api => api.Assign("TR1", "TOOL"));
        Erp.Acknowledges = false;
        var before = Erp.Requests.Count;

        // The processor under test, on a tracer of the test's own that keeps what it sees in memory.
        var spans = new List<Activity>();
        using (Sdk.CreateTracerProviderBuilder()
                   .AddSource("Microsoft.AspNetCore", "Wolverine", "Marten", "System.Net.Http")
                   .AddProcessor(new Correlation.SpanTagger())
                   .AddInMemoryExporter(spans)
                   .Build())
        {
            // PLM opens the trace; the new TOOL revision is published to TR1 and delivered to its ERP.
            await Api.Settled(_ => ReleaseWithTrace(ToolRevisionB(), $"00-{TraceId}-{PlmSpan}-01"));
            var delivery = await Wait.Until(() => Task.FromResult(Erp.Requests.Skip(before).FirstOrDefault()), "the delivery of rev B");

            // The ERP propagates the context it received with its acknowledgement, as W3C trace context asks of it.
            delivery.TraceParent.ShouldNotBeNull().ShouldContain(TraceId);
            var id = (await Api.Get("/api/v1/deliveries?instance=erp-trace&status=sent")).Items.Single()!["deliveryId"]!.GetValue<string>();
            var ack = await Host.Scenario(s =>
            {
                s.Post.Json(new { reference = "ERP-B" }).ToUrl($"/api/v1/deliveries/{id}/ack");
                s.WithRequestHeader("traceparent", delivery.TraceParent!);
            });
            ack.Context.Response.StatusCode.ShouldBe(200);
            // The server span ends as the exchange is disposed, just after the answer is read. (A copy: the exporter adds meanwhile.)
            await Wait.Until(() => Task.FromResult(
                    spans.ToArray().Any(s => s is not null && s.Source.Name == "Microsoft.AspNetCore" && Describe(s).Contains("/ack")) ? "" : null),
                "the acknowledgement's span to end");
        }

        var trace = spans.Where(s => s.TraceId.ToHexString() == TraceId).ToList();
        var listing = string.Join("\n", trace.Select(s => $"{s.SpanId} <- {s.ParentSpanId} {s.Source.Name}: {s.DisplayName} {Describe(s)}"));
        var release = trace.Where(s => s.ParentSpanId.ToHexString() == PlmSpan).ShouldHaveSingleItem(listing);
        release.Source.Name.ShouldBe("Microsoft.AspNetCore");
        trace.ShouldContain(s => s.Source.Name == "Marten", listing);
        trace.ShouldContain(s => s.Source.Name == "Wolverine" && Describe(s).Contains("RunWaitingSyncs"), listing);
        trace.ShouldContain(s => s.Source.Name == "Wolverine" && Describe(s).Contains("DeliverToErp"), listing);
        trace.ShouldContain(s => s.Source.Name == "System.Net.Http" && s.Kind == ActivityKind.Client, listing);
        var acknowledgement = trace.Where(s => s.Source.Name == "Microsoft.AspNetCore" && Describe(s).Contains("/ack")).ShouldHaveSingleItem(listing);
        // Connected: apart from the release's, every span's parent is a span of the same trace.
        var byId = trace.ToDictionary(s => s.SpanId);
        trace.Where(s => s != release).ShouldAllBe(s => byId.ContainsKey(s.ParentSpanId), listing);
        // The hub's own spans of the release carry its correlation id (not the ERP's server spans, nor the callback's).
        var erpServer = trace.Where(s => s.Source.Name == "Microsoft.AspNetCore" && Describe(s).Contains("/erp/items")).ToList();
        bool Under(Activity span, Activity top) =>
            span == top || (byId.TryGetValue(span.ParentSpanId, out var parent) && Under(parent, top));
        trace.Where(s => !Under(s, acknowledgement) && !erpServer.Any(e => Under(s, e)))
            .ShouldAllBe(s => (string?)s.GetTagItem(Correlation.Key) == "REL-TOOL-B", listing);
    }

    private static string Describe(Activity span) =>
        string.Join(" ", span.TagObjects.Where(t => t.Key is "url.path" or "messaging.message_type" or "http.route" or "messaging.conversation_id" or Correlation.Key).Select(t => t.Value));

    [Fact]
    public void a_log_line_written_under_a_marked_span_carries_the_correlation_id()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "test", Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("test");
        using var request = source.StartActivity("request");
        Correlation.Mark("ECO-7");
        using var child = source.StartActivity("handler");

        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, new MessageTemplate("x", []), []);
        new Correlation.LogEnricher().Enrich(logEvent, new PropertyFactory());

        logEvent.Properties["CorrelationId"].ToString().ShouldBe("\"ECO-7\"");
    }

    private sealed class PropertyFactory : ILogEventPropertyFactory
    {
        public LogEventProperty CreateProperty(string name, object? value, bool destructureObjects = false) =>
            new(name, new ScalarValue(value));
    }

    private async Task<Answer> ReleaseWithTrace(object package, string traceParent)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(package).ToUrl("/api/v1/releases");
            s.WithRequestHeader("traceparent", traceParent);
            s.StatusCodeShouldBe(201);
        });
        return new Answer(result.Context.Response.StatusCode, null, "", null);
    }

    private static object ToolRevisionB() => new
    {
        packageId = "REL-TOOL-B", source = "plm-test", releasedAt = "2026-02-10T08:00:00Z",
        parts = new object[] { Buy("TOOL", "AT", revision: "B") },
    };
}
