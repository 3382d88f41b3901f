using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Apportionment.Api.Infrastructure.Persistence;

/// <summary>
/// One version of a service's budget for a financial year. A new budget is a new version: earlier versions are kept, so
/// a report can say what the committee set first and what it was revised to.
/// </summary>
public sealed class BudgetVersion
{
    public long Id { get; init; }
    public required string ServiceCode { get; init; }
    /// <summary>The calendar year the financial year starts in (2025 for 2025-26).</summary>
    public int FinancialYear { get; init; }
    public int Version { get; init; }
    public decimal Amount { get; init; }
    /// <summary>"flat" or "custom": how the monthly amounts were given.</summary>
    public required string ProfileKind { get; init; }
    /// <summary>Twelve amounts, April to March, summing to <see cref="Amount"/>.</summary>
    public required decimal[] Profile { get; init; }
    public DateTimeOffset SetAt { get; init; }
    public Guid? SetByKey { get; init; }
}

/// <summary>
/// A service's agreed reduction: each year's target is the previous one less the percentage, from the base year's
/// budget.
/// </summary>
public sealed class BudgetTarget
{
    public required string ServiceCode { get; init; }
    public decimal ReductionPercent { get; set; }
    public int BaseYear { get; set; }
    public DateTimeOffset SetAt { get; set; }
    public Guid? SetByKey { get; set; }
}

/// <summary>Kept apart from ApportionmentDb's own block so other features' tables merge cleanly beside it.</summary>
public static class BudgetModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<BudgetVersion>(Configure);
        b.Entity<BudgetTarget>(e =>
        {
            e.HasKey(x => x.ServiceCode);
            e.Property(x => x.ServiceCode).HasMaxLength(16);
            e.Property(x => x.ReductionPercent).HasPrecision(5, 2);
            e.HasOne<SharedService>().WithMany().HasForeignKey(x => x.ServiceCode).OnDelete(DeleteBehavior.Restrict);
        });
    }

    private static void Configure(EntityTypeBuilder<BudgetVersion> e)
    {
        e.HasKey(x => x.Id);
        // Two racing writers of the same version: the database refuses the second (409), not a read-then-write check.
        e.HasIndex(x => new { x.ServiceCode, x.FinancialYear, x.Version }).IsUnique();
        e.Property(x => x.ServiceCode).HasMaxLength(16);
        e.Property(x => x.ProfileKind).HasMaxLength(8);
        e.Property(x => x.Profile).HasColumnType("numeric(14,2)[]");
        e.HasOne<SharedService>().WithMany().HasForeignKey(x => x.ServiceCode).OnDelete(DeleteBehavior.Restrict);
    }
}
