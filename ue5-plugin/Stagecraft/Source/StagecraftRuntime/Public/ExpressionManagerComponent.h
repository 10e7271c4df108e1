// Drives an NPC's face from its current line: each tick, the 52 ARKit weights at the line's audio
// clock (interpolated, clipped at an interrupted end, eased to neutral after it) are mapped through
// a rig profile to morph targets on a mesh, or kept for the Stagecraft Face AnimGraph node
// (MetaHumans: the node writes ARKit curves before mh_arkit_mapping_pose).
#pragma once

#include "Components/ActorComponent.h"
#include "CoreMinimal.h"
#include "ExpressionManagerComponent.generated.h"

class USkeletalMeshComponent;
class UStagecraftRigProfile;

UENUM(BlueprintType)
enum class EStagecraftFaceOutput : uint8
{
	/** Morph targets on Mesh, named by the rig profile. */
	MorphTargets,
	/** Curves read by the Stagecraft Face AnimGraph node (MetaHuman face AnimBP). */
	AnimGraphCurves,
};

UCLASS(ClassGroup = (Stagecraft), meta = (BlueprintSpawnableComponent))
class STAGECRAFTRUNTIME_API UExpressionManagerComponent : public UActorComponent
{
	GENERATED_BODY()

public:
	UExpressionManagerComponent();

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") FString NpcId;
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") EStagecraftFaceOutput Output = EStagecraftFaceOutput::MorphTargets;
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") TObjectPtr<USkeletalMeshComponent> Mesh;
	/** Empty: the built-in profile named by BuiltInProfile. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") TObjectPtr<UStagecraftRigProfile> RigProfile;
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") FName BuiltInProfile = TEXT("generic");
	/** 0..2; 1 leaves the weights as the server made them. Blinks and gaze are not scaled. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft", meta = (ClampMin = "0", ClampMax = "2")) float Expressiveness = 1.f;

	/** The 52 ARKit weights of this tick, in wire order (game thread). */
	const TArray<float>& GetArkitWeights() const { return Weights; }

	virtual void TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction) override;

protected:
	virtual void BeginPlay() override;

private:
	TArray<float> Weights;
	TMap<FName, float> Curves;
	UPROPERTY(Transient) TObjectPtr<UStagecraftRigProfile> Profile;
};
