# bash completion for swaptrace(1), installed as
# $(pkg-config --variable=completionsdir bash-completion)/swaptrace.
# Subcommands, each one's options, and the files they take: trace
# directories for replay and check, databases (*.db) for report, diff and
# export.  tests/install/test-install.sh checks it against --help.

_swaptrace()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local commands="replay check rules report diff export"
	local common="-h --help -v --verbose"
	if [[ $cword -eq 1 ]]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi

	local opts files=dirs
	case ${words[1]} in
	replay)
		opts="-o --output -f --force --events --stale-threshold --full-threshold --merge --decoder-timeout --decoder-memory -q --quiet"
		;;
	check)
		opts="--format --stale-threshold --full-threshold --merge --decoder-timeout --decoder-memory"
		;;
	rules)
		opts=""
		files=none
		;;
	report)
		opts="--html -f --force --top --max-slots"
		files=db
		;;
	diff)
		opts="--tolerance --format --min-count --min-slot-time --min-rate --min-wait"
		files=db
		;;
	export)
		opts="--format -o --output -f --force --max-slots"
		files=db
		;;
	*)
		return
		;;
	esac

	# The value of an option that takes one.
	case $prev in
	--format)
		if [[ ${words[1]} == export ]]; then
			COMPREPLY=($(compgen -W "chrome-json" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "text json" -- "$cur"))
		fi
		return
		;;
	-o | --output | --html)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--stale-threshold | --full-threshold | --min-slot-time | --min-wait)
		COMPREPLY=($(compgen -W "1ms 10ms 100ms 1s" -- "$cur"))
		return
		;;
	--top | --max-slots | --min-count | --min-rate | --tolerance)
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts $common" -- "$cur"))
		return
	fi
	case $files in
	dirs)
		COMPREPLY=($(compgen -d -- "$cur"))
		;;
	db)
		COMPREPLY=($(compgen -f -X '!*.db' -- "$cur") $(compgen -d -- "$cur"))
		;;
	esac
} &&
	complete -F _swaptrace swaptrace
