// How a face rig names its curves: for each ARKit blendshape, the morph targets or curves it
// drives and by how much. The built-in profiles (metahuman, generic, livelink) come from the
// wire package through the core; an asset can hold a project's own.
#pragma once

#include "CoreMinimal.h"
#include "Engine/DataAsset.h"
#include "StagecraftRigProfile.generated.h"

USTRUCT(BlueprintType)
struct STAGECRAFTRUNTIME_API FStagecraftCurveLink
{
	GENERATED_BODY()
	/** ARKit blendshape name, e.g. jawOpen. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") FName Blendshape;
	/** The rig's morph target or curve, e.g. CTRL_expressions_jawOpen. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") FName Curve;
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") float Scale = 1.f;
};

UCLASS(BlueprintType)
class STAGECRAFTRUNTIME_API UStagecraftRigProfile : public UPrimaryDataAsset
{
	GENERATED_BODY()

public:
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft")
	TArray<FStagecraftCurveLink> Links;

	/** Fills Links from a built-in profile; false when there is none by that name. */
	UFUNCTION(BlueprintCallable, Category = "Stagecraft")
	bool LoadBuiltIn(FName ProfileName);

	/** 52 ARKit weights (wire order) → curve values, summed per curve and clamped to 0..1. */
	void Apply(const float* Weights, TMap<FName, float>& Out) const;

private:
	TArray<int32> Indices;  // the ARKit index of each link, resolved once
	void Resolve() const;
	mutable TArray<int32> ResolvedIndices;
};
