// Writes the owner's 52 ARKit weights (from its UExpressionManagerComponent) as curves onto the
// pose, named by a one-to-one built-in profile: `livelink` (EyeBlinkLeft … TongueOut, the names
// MetaHuman's mh_arkit_mapping_pose reads) or `generic` (eyeBlinkLeft …). Place it before
// mh_arkit_mapping_pose in a MetaHuman face AnimBP and the MetaHuman's own ARKit mapping drives
// the rig, with no custom mapping.
// The weights are copied on the game thread (PreUpdate) and written on the worker thread.
#pragma once

#include "Animation/AnimNodeBase.h"
#include "CoreMinimal.h"
#include "AnimNode_StagecraftFace.generated.h"

USTRUCT(BlueprintInternalUseOnly)
struct STAGECRAFTFACE_API FAnimNode_StagecraftFace : public FAnimNode_Base
{
	GENERATED_BODY()

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Links")
	FPoseLink Source;

	/** livelink (capitalised, for mh_arkit_mapping_pose) or generic (ARKit's own names). */
	UPROPERTY(EditAnywhere, Category = "Settings")
	FName CurveNames = TEXT("livelink");

	/** 0 leaves the input's curves, 1 replaces them with the line's. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Settings", meta = (PinShownByDefault, ClampMin = "0", ClampMax = "1"))
	float Alpha = 1.f;

	virtual void Initialize_AnyThread(const FAnimationInitializeContext& Context) override;
	virtual void CacheBones_AnyThread(const FAnimationCacheBonesContext& Context) override;
	virtual void Update_AnyThread(const FAnimationUpdateContext& Context) override;
	virtual void Evaluate_AnyThread(FPoseContext& Output) override;
	virtual void GatherDebugData(FNodeDebugData& DebugData) override;
	virtual bool HasPreUpdate() const override { return true; }
	virtual void PreUpdate(const UAnimInstance* InAnimInstance) override;

private:
	TArray<float> Weights;
	TArray<FName> Names;
};
