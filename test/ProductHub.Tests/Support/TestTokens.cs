using System.Security.Cryptography;
using System.Text;
using Alba;
using Microsoft.IdentityModel.Tokens;
using ProductHub.Hub.Security;

namespace ProductHub.Tests.Support;

/// <summary>
/// Bearer tokens for the scenarios, signed with a key made for this test run. A scenario that sets no
/// Authorization header acts as PLM and administrator (<see cref="Default"/>), so only the access tests think about roles.
/// </summary>
public static class TestTokens
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    public const string Variable = "ProductHub__Auth__SigningKey";

    /// <summary>Every hub the tests start, in process or as a child process, reads the key from the environment.</summary>
    public static void Install() => Environment.SetEnvironmentVariable(Variable, Key);

    /// <summary>The same for a child process whose environment is set up from scratch.</summary>
    public static void Install(IDictionary<string, string?> environment) => environment[Variable] = Key;

    private static SymmetricSecurityKey SigningKey => new(Encoding.UTF8.GetBytes(Key));

    public static string For(string subject, string[] roles, params string[] plants) =>
        AccessTokens.Issue(SigningKey, subject, roles, plants);

    /// <summary>A token under the hub's key with exactly these claims, and an algorithm of the test's choosing.</summary>
    public static string Signed(Dictionary<string, object> claims, string algorithm = SecurityAlgorithms.HmacSha256) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Hub.Security.SigningKey.Issuer, Audience = Hub.Security.SigningKey.Audience, Claims = claims,
            Expires = DateTime.UtcNow.AddHours(1), SigningCredentials = new SigningCredentials(SigningKey, algorithm),
        });

    public static readonly string Default = For("test-user", [Roles.Plm, Roles.Admin]);

    public static IAlbaHost WithDefaultToken(this IAlbaHost host)
    {
        // BeforeEach runs after the scenario's own set-up, so a header the scenario chose (even an empty one) stays.
        host.BeforeEach(context =>
        {
            if (!context.Request.Headers.ContainsKey("Authorization")) context.Request.Headers.Authorization = "Bearer " + Default;
        });
        return host;
    }
}
