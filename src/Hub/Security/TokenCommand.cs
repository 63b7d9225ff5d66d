namespace ProductHub.Hub.Security;

/// <summary>
/// <c>ProductHub.Hub token --role admin [--role plm] [--plant P100] [--subject alice] [--hours 12]</c>: prints a bearer
/// token signed with this hub's key (see <see cref="SigningKey"/>), for development and scripts.
/// </summary>
public static class TokenCommand
{
    public const string Name = "token";

    public static int Run(string[] args, IConfiguration configuration)
    {
        var roles = Values(args, "--role");
        var unknown = roles.Except(Roles.All).ToList();
        if (roles.Count == 0 || unknown.Count > 0)
        {
            Console.Error.WriteLine($"Give one or more --role of: {string.Join(", ", Roles.All)}" +
                                    (unknown.Count > 0 ? $" (not a role: {string.Join(", ", unknown)})" : ""));
            return 2;
        }
        var subject = Values(args, "--subject").LastOrDefault() ?? Environment.UserName;
        var hours = double.Parse(Values(args, "--hours").LastOrDefault() ?? "12", System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine(AccessTokens.Issue(SigningKey.Resolve(configuration), subject, roles, Values(args, "--plant"), TimeSpan.FromHours(hours)));
        return 0;
    }

    private static List<string> Values(string[] args, string option) =>
        args.Zip(args.Skip(1)).Where(p => p.First == option).Select(p => p.Second).ToList();
}
