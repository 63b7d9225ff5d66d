namespace ProductHub.Domain;

public static class Quantities
{
    /// <summary>
    /// Computed quantities (extended, pulled up through a phantom) are shown and sent rounded to this many decimals,
    /// so that 1/12 * 12 reads as 1, not 0.9999999999999999999999999996.
    /// </summary>
    public const int ComputedDecimals = 12;

    /// <summary>Drops trailing zeros so equal quantities print and hash alike (2.0 and 2 both read 2).</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    /// <summary>
    /// A quantity computed from others (unrounded, to compute on with), or null when it cannot be: beyond what a decimal
    /// holds (about 7.9e28, which a deep chain reaches by multiplying level by level), a division by a base quantity of
    /// zero (stored before intake refused such values), or so small that it would be shown and sent as zero.
    /// </summary>
    public static decimal? Product(Func<decimal> compute)
    {
        try
        {
            var product = compute();
            return Rounded(product) > 0 ? product : null;
        }
        catch (ArithmeticException)
        {
            return null;
        }
    }

    public const string ComputableRange =
        "the hub computes quantities greater than 0 at 12 decimals and up to 7.9e28, and never divides by a base quantity of 0";

    public static decimal Rounded(decimal computed) => Normalize(Math.Round(computed, ComputedDecimals));
}
