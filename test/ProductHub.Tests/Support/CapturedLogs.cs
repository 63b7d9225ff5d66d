using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace ProductHub.Tests.Support;

/// <summary>Every log event of the shared hub, as text with its properties, for tests of what must never be logged.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public void Emit(LogEvent logEvent)
    {
        var properties = string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
        _lines.Enqueue($"{logEvent.RenderMessage()} {properties} {logEvent.Exception}");
        // Bounded: only the latest lines matter to a test, and the shared hub runs the whole suite.
        while (_lines.Count > 20_000) _lines.TryDequeue(out _);
    }

    public IReadOnlyList<string> Lines => _lines.ToList();
}
