namespace ProductHub.Domain;

public static class Quantities
{
    /// <summary>Drops trailing zeros so equal quantities print and hash alike (2.0 and 2 both read 2).</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
