using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using OpenTelemetry;
using Serilog.Core;
using Serilog.Events;
using Wolverine;

namespace ProductHub.Hub.Observability;

/// <summary>
/// The business correlation id (a release's change order or package id) on every span and log line, beside the
/// W3C trace id that connects the spans. Within a request or a message handler it is kept in an async-local (Marten
/// starts its connection spans from an explicit parent context, so they inherit no baggage), and as baggage of the
/// spans the request or handler runs under. Across Wolverine's envelopes it travels as the envelope's correlation id,
/// which <see cref="CorrelationMiddleware"/> marks again on the far side.
/// </summary>
public static class Correlation
{
    public const string Key = "producthub.correlation_id";
    private const string WolverineConversation = "messaging.conversation_id";
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>
    /// Marks the rest of this flow, the current span and the spans it runs under in this process with the id; and
    /// the request's span, named by the request because the current span may be a Marten connection's, whose
    /// parent is only a context.
    /// </summary>
    public static void Mark(string correlationId, HttpContext? request = null)
    {
        Current.Value = correlationId;
        for (var span = Activity.Current; span is not null; span = span.Parent) span.SetBaggage(Key, correlationId);
        request?.Features.Get<IHttpActivityFeature>()?.Activity.SetBaggage(Key, correlationId);
    }

    /// <summary>The id a span carries: marked, or, on Wolverine's spans, the envelope's correlation id it is tagged with.</summary>
    public static string? Of(Activity? activity) =>
        activity?.GetBaggageItem(Key) ?? (activity?.GetTagItem(Key) ?? activity?.GetTagItem(WolverineConversation)) as string;

    /// <summary>Tags each span when it starts (in a marked flow, or under a marked span) and when it ends (marked meanwhile).</summary>
    public sealed class SpanTagger : BaseProcessor<Activity>
    {
        public override void OnStart(Activity activity) => Tag(activity);

        public override void OnEnd(Activity activity) => Tag(activity);

        private static void Tag(Activity activity)
        {
            if ((Of(activity) ?? Current.Value) is not { } id) return;
            if (activity.GetBaggageItem(Key) is null) activity.SetBaggage(Key, id);
            activity.SetTag(Key, id);
        }
    }

    /// <summary>Adds <c>CorrelationId</c> to log events written under a marked span (Serilog adds TraceId and SpanId itself).</summary>
    public sealed class LogEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory factory)
        {
            if ((Current.Value ?? Of(Activity.Current)) is { } id) logEvent.AddPropertyIfAbsent(factory.CreateProperty("CorrelationId", id));
        }
    }
}

/// <summary>Wolverine middleware: each handler runs marked with its envelope's correlation id.</summary>
public static class CorrelationMiddleware
{
    public static void Before(Envelope envelope)
    {
        if (envelope.CorrelationId is { } id) Correlation.Mark(id);
    }
}
