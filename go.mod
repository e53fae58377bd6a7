module github.com/exempelby/synpunkt

go 1.26.8
