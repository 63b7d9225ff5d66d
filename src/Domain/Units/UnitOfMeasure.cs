namespace ProductHub.Domain.Units;

/// <summary>
/// A unit of measure: <c>Factor</c> units of the dimension's base unit make one of this unit
/// (1 DOZ = 12 EA, 1 G = 0.001 KG). Conversions exist only within one dimension.
/// </summary>
public sealed record UnitOfMeasure(string Code, string Dimension, decimal Factor)
{
    public static readonly IReadOnlyList<UnitOfMeasure> BuiltIn =
    [
        new("EA", "count", 1m),
        new("PCE", "count", 1m),
        new("PR", "count", 2m),
        new("DOZ", "count", 12m),
        new("KG", "mass", 1m),
        new("G", "mass", 0.001m),
        new("MG", "mass", 0.000001m),
        new("T", "mass", 1000m),
        new("LB", "mass", 0.45359237m),
        new("M", "length", 1m),
        new("CM", "length", 0.01m),
        new("MM", "length", 0.001m),
        new("KM", "length", 1000m),
        new("IN", "length", 0.0254m),
        new("FT", "length", 0.3048m),
        new("M2", "area", 1m),
        new("CM2", "area", 0.0001m),
        new("MM2", "area", 0.000001m),
        new("L", "volume", 1m),
        new("ML", "volume", 0.001m),
        new("M3", "volume", 1000m),
        new("S", "time", 1m),
        new("MIN", "time", 60m),
        new("H", "time", 3600m),
    ];

    /// <summary>How many of <paramref name="target"/> make one of this unit.</summary>
    public decimal ConversionTo(UnitOfMeasure target) =>
        Dimension == target.Dimension
            ? Factor / target.Factor
            : throw new InvalidOperationException(
                $"{Code} ({Dimension}) cannot be converted to {target.Code} ({target.Dimension})");
}
