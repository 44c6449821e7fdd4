# Drawn by the replicate harness; run `gnuplot forgetting-vs-replay.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Forgetting Φ = U_end − U0 against the replay fraction"
set xlabel "replay of U (% of sequences)"
set ylabel "Φ (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'forgetting-vs-replay.png'
plot 'forgetting-vs-replay.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "Φ"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'forgetting-vs-replay.svg'
plot 'forgetting-vs-replay.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "Φ"
unset output
