namespace ProductHub.Hub.Infrastructure;

public static class DataFolder
{
    /// <summary>Where a hub with no other settings keeps its state: <c>ProductHub:DataDirectory</c>, or <c>.data</c> here.</summary>
    public static string Of(IConfiguration configuration) =>
        configuration["ProductHub:DataDirectory"] ?? Path.Combine(Directory.GetCurrentDirectory(), ".data");
}
