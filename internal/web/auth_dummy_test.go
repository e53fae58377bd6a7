package web

import (
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// TestDummyHashCostsAsMuchAsARealOne: the hash a login for an unknown
// user is checked against is a valid bcrypt hash of the cost HashPassword
// uses, so that login takes as long as one for a known user.
func TestDummyHashCostsAsMuchAsARealOne(t *testing.T) {
	cost, err := bcrypt.Cost(dummyHash)
	if err != nil {
		t.Fatalf("bcrypt.Cost(dummyHash) = %v", err)
	}
	real, err := HashPassword("ett lösenord")
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := bcrypt.Cost([]byte(real)); cost != want {
		t.Errorf("dummyHash has cost %d, HashPassword %d", cost, want)
	}
	if err := bcrypt.CompareHashAndPassword(dummyHash, []byte("no such user, no such password")); err != nil {
		t.Errorf("dummyHash is not the hash of its documented password: %v", err)
	}
}
