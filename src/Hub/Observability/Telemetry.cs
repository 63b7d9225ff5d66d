using Marten;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ProductHub.Hub.Ops;
using ProductHub.Hub.Security;
using Wolverine.Runtime;

namespace ProductHub.Hub.Observability;

public static class Telemetry
{
    /// <summary>
    /// Metrics from the hub's meter, Wolverine's and Marten's; traces through ASP.NET Core, Wolverine, Marten and
    /// outgoing HTTP, each span tagged with the correlation id (<see cref="Correlation"/>).
    /// OTLP export is on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard variable).
    /// </summary>
    public static IServiceCollection AddHubTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<HubMetrics>();
        services.AddHostedService(sp => new BacklogSampler(
            sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<IWolverineRuntime>(), sp.GetRequiredService<HubMetrics>(),
            sp.GetRequiredService<ILogger<BacklogSampler>>(), sp.GetRequiredService<IOptions<OpsOptions>>().Value.SampleInterval));
        services.AddSingleton<Serilog.Core.ILogEventEnricher, Correlation.LogEnricher>();
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("producthub"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(HubMetrics.MeterName, "Wolverine", "Marten")
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp) metrics.AddOtlpExporter();
            })
            .WithTracing(tracing =>
            {
                // System.Net.Http: the adapters' sends to ERPs and webhooks, which carry traceparent to the receiver.
                tracing.AddAspNetCoreInstrumentation().AddSource("Wolverine", "Marten", "System.Net.Http")
                    .AddProcessor(new Correlation.SpanTagger());
                if (otlp) tracing.AddOtlpExporter();
            });
        return services;
    }

    public static void MapHubTelemetry(this WebApplication app) => app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Access.Operations);
}
