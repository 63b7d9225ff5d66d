using NodaTime;

namespace ProductHub.Domain.Units;

/// <summary>A unit of measure the hub did not know before; units never change once defined.</summary>
public sealed record UnitDefined(string Code, string Dimension, decimal Factor, Instant RecordedAt);
